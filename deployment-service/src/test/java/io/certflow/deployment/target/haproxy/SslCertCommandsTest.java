package io.certflow.deployment.target.haproxy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SslCertCommandsTest {

    private static final Path PEM = Path.of("/etc/haproxy/certs/site.pem");
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0IGtleSBieXRlcw==\n-----END PRIVATE KEY-----\n";

    @Test
    void setSendsThePemAsAPayloadEndedByOneEmptyLine() {
        String command = SslCertCommands.set(PEM, "-----BEGIN CERTIFICATE-----\r\nQUJD\r\n\r\n-----END CERTIFICATE-----\n" + KEY);

        assertThat(command).isEqualTo("set ssl cert /etc/haproxy/certs/site.pem <<\n"
                + "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n" + KEY + "\n");
        assertThat(command.indexOf("\n\n")).isEqualTo(command.length() - 2);
    }

    @Test
    void commitAndAbortNameTheCertificate() {
        assertThat(SslCertCommands.commit(PEM)).isEqualTo("commit ssl cert /etc/haproxy/certs/site.pem\n");
        assertThat(SslCertCommands.abort(PEM)).isEqualTo("abort ssl cert /etc/haproxy/certs/site.pem\n");
    }

    @Test
    void aCreatedOrUpdatedTransactionIsAcceptedAnythingElseIsNot() {
        assertThat(SslCertCommands.readSet(PEM, "Transaction created for certificate /etc/haproxy/certs/site.pem!\n\n"))
                .isEqualTo(new SslCertCommands.Answer(true, "Transaction created for certificate /etc/haproxy/certs/site.pem!"));
        assertThat(SslCertCommands.readSet(PEM, "Transaction updated for certificate /etc/haproxy/certs/site.pem!\n").accepted())
                .isTrue();

        SslCertCommands.Answer refused = SslCertCommands.readSet(PEM, 
                "unable to load certificate file '/etc/haproxy/certs/site.pem'.\n"
                + "inconsistencies between private key and certificate loaded '/etc/haproxy/certs/site.pem'.\n\n");
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.message()).isEqualTo("unable to load certificate file '/etc/haproxy/certs/site.pem'. "
                + "inconsistencies between private key and certificate loaded '/etc/haproxy/certs/site.pem'.");

        assertThat(SslCertCommands.readSet(PEM, "Permission denied\n").accepted()).isFalse();
        assertThat(SslCertCommands.readSet(PEM, "")).isEqualTo(new SslCertCommands.Answer(false, "HAProxy gave no answer"));
        assertThat(SslCertCommands.readSet(PEM, null).accepted()).isFalse();
    }

    @Test
    void aTransactionOfAnotherCertificateIsNotOurs() {
        // HAProxy 2.6's answer to 'set ssl cert site.pem' while another client's transaction on api.pem is open
        SslCertCommands.Answer other = SslCertCommands.readSet(PEM,
                "Transaction updated for certificate /etc/haproxy/certs/api.pem!\n\n");

        assertThat(other.accepted()).isFalse();
        assertThat(other.message()).isEqualTo("Transaction updated for certificate /etc/haproxy/certs/api.pem!");
    }

    @Test
    void aCommitIsAcceptedOnlyWithSuccess() {
        assertThat(SslCertCommands.readCommit("Committing /etc/haproxy/certs/site.pem.\nSuccess!\n\n").accepted()).isTrue();
        assertThat(SslCertCommands.readCommit("Committing /etc/haproxy/certs/site.pem...\nSuccess!\n").accepted()).isTrue();

        SslCertCommands.Answer failed = SslCertCommands.readCommit(
                "Committing /etc/haproxy/certs/site.pem\nFailed!\nunable to load the certificate\n");
        assertThat(failed.accepted()).isFalse();
        assertThat(failed.message()).contains("Failed!").contains("unable to load the certificate");
        // HAProxy 2.6's answer to a key that does not match the certificate
        SslCertCommands.Answer mismatch = SslCertCommands.readCommit("inconsistencies between private key and "
                + "certificate loaded '/etc/haproxy/certs/site.pem'.\nCan't commit /etc/haproxy/certs/site.pem!\n");
        assertThat(mismatch.accepted()).isFalse();
        assertThat(mismatch.message()).isEqualTo("inconsistencies between private key and certificate loaded "
                + "'/etc/haproxy/certs/site.pem'. Can't commit /etc/haproxy/certs/site.pem!");
        assertThat(SslCertCommands.readCommit("No ongoing transaction!\n").accepted()).isFalse();
        assertThat(SslCertCommands.readCommit("Committing x\nSuccess!\nFailed!\n").accepted()).isFalse();
        assertThat(SslCertCommands.readCommit("").accepted()).isFalse();
    }

    @Test
    void answersNeverCarryAPemBlockAndStayShort() {
        SslCertCommands.Answer echoed = SslCertCommands.readSet(PEM, "Error: cannot parse\n" + KEY + "trailing\n");

        assertThat(echoed.accepted()).isFalse();
        assertThat(echoed.message()).isEqualTo("Error: cannot parse <pem removed> trailing")
                .doesNotContain("c2VjcmV0");
        assertThat(SslCertCommands.readSet(PEM, "x".repeat(2000)).message()).hasSize(501);
        // an unterminated block is cut to the end too
        assertThat(SslCertCommands.readSet(PEM, "oops -----BEGIN PRIVATE KEY-----\nc2VjcmV0\n").message())
                .isEqualTo("oops <pem removed>");
    }

    @Test
    void listsTheCommittedCertificateFilesOnly() {
        // HAProxy 2.6 while a transaction is open on site.pem
        String answer = "# transaction\n*/etc/haproxy/certs/site.pem\n# filename\n/etc/haproxy/certs/api.pem\n"
                + "/etc/haproxy/certs/site.pem\n\n";

        assertThat(SslCertCommands.list()).isEqualTo("show ssl cert\n");
        assertThat(SslCertCommands.readList(answer)).contains(List.of("/etc/haproxy/certs/api.pem",
                "/etc/haproxy/certs/site.pem"));
        assertThat(SslCertCommands.readTransaction(answer)).contains("/etc/haproxy/certs/site.pem");
        assertThat(SslCertCommands.readTransaction("# filename\n/etc/haproxy/certs/site.pem\n\n")).isEmpty();
        assertThat(SslCertCommands.readList("# filename\n\n")).contains(List.of());
        // what a socket below level admin answers in HAProxy 2.6, and silence
        assertThat(SslCertCommands.readList("Can't allocate memory!\n\n")).isEmpty();
        assertThat(SslCertCommands.readList("")).isEmpty();
        assertThat(SslCertCommands.readList(null)).isEmpty();
    }

    @Test
    void readsWhatShowSslCertSaysOfOneCertificate() {
        String answer = "Filename: /etc/haproxy/certs/site.pem\nStatus: Used\n"
                + "Serial: 05D05CEE97D12B4EF7A057F877F453526A5C126CA\nnotBefore: Nov 27 19:52:06 2026 GMT\n"
                + "notAfter: Dec  7 19:52:06 2026 GMT\n"
                + "Subject Alternative Name: DNS:a.example.test, DNS:*.a.example.test, IP Address:10.0.0.1, email:x@y.z\n"
                + "Algorithm: EC256\nSHA1 FingerPrint: F39616CCBB3EC4CA564ADFC262A2D49F55B49709\n"
                + "Subject: /C=DE/O=Example, Inc/CN=a.example.test\nIssuer: /CN=R3\nOCSP Response Key: \n\n";

        assertThat(SslCertCommands.show("/etc/haproxy/certs/site.pem")).isEqualTo("show ssl cert /etc/haproxy/certs/site.pem\n");
        assertThat(SslCertCommands.readShow(answer)).contains(new SslCertCommands.StoredCertificate(
                "/etc/haproxy/certs/site.pem", "Used", "5d05cee97d12b4ef7a057f877f453526a5c126ca",
                List.of("a.example.test", "*.a.example.test"), "a.example.test"));

        SslCertCommands.StoredCertificate empty = SslCertCommands.readShow(
                "Filename: /etc/haproxy/certs/spare.pem\nStatus: Empty\nOCSP Response Key: \n\n").orElseThrow();
        assertThat(empty.used()).isFalse();
        assertThat(empty.serialNumber()).isNull();
        assertThat(empty.dnsNames()).isEmpty();

        assertThat(SslCertCommands.readShow("Can't display the certificate: Not found or the certificate is a bundle!\n"))
                .isEmpty();
        assertThat(SslCertCommands.readShow(null)).isEmpty();
    }
}
