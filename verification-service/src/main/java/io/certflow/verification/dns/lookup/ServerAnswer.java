package io.certflow.verification.dns.lookup;

import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.util.List;
import java.util.Objects;

/**
 * What one authoritative server answered for one name and type, or why it gave no usable answer.
 *
 * @param server  the server, e.g. {@code ns1.example.com. (192.0.2.1)}
 * @param status  whether it answered
 * @param rcode   {@link Rcode#NOERROR} or {@link Rcode#NXDOMAIN} when answered, else -1
 * @param records the answer's records owned by the name (its RRSIGs left out); empty when it has none
 * @param problem why the answer is not usable, for people ({@code null} when answered)
 */
record ServerAnswer(String server, Status status, int rcode, List<Record> records, String problem) {

    /** Whether the server gave a usable answer. */
    enum Status {
        /** An authoritative answer; when the zone is signed, its signatures validated. */
        ANSWERED,
        /** No answer, an error code, or an answer without authority. */
        FAILED,
        /** An answer from a signed zone whose signatures did not validate. */
        DNSSEC_INVALID
    }

    ServerAnswer {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(status, "status");
        records = List.copyOf(records);
    }

    static ServerAnswer answered(String server, int rcode, List<Record> records) {
        return new ServerAnswer(server, Status.ANSWERED, rcode, records, null);
    }

    static ServerAnswer failed(String server, String problem) {
        return new ServerAnswer(server, Status.FAILED, -1, List.of(), problem);
    }

    static ServerAnswer dnssecInvalid(String server, int rcode, List<Record> records, String problem) {
        return new ServerAnswer(server, Status.DNSSEC_INVALID, rcode, records, problem);
    }

    /** The records of {@code type} in the answer. */
    List<Record> ofType(int type) {
        return records.stream().filter(r -> r.getType() == type).toList();
    }

    /**
     * What the server said about {@code type}, comparable between servers: {@code NXDOMAIN},
     * {@code no CNAME record} or {@code CNAME target.}; for a failure, its problem.
     */
    String summary(int type) {
        if (status != Status.ANSWERED) {
            return problem;
        }
        if (rcode == Rcode.NXDOMAIN) {
            return "NXDOMAIN";
        }
        List<String> values = ofType(type).stream().map(Record::rdataToString).sorted().toList();
        return values.isEmpty() ? "no " + Type.string(type) + " record" : Type.string(type) + " " + String.join(", ", values);
    }
}
