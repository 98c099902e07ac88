package io.certflow.issuance.caa;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The CAA RRset found at one name: where it was asked for, where it lives (the end of a CNAME chain the
 * resolver followed) and its properties. Exists so that a refusal can say exactly which record set applies.
 *
 * @param owner         the name asked for, absolute ({@code example.com.})
 * @param canonicalName the name the records belong to: {@code owner}, or the CNAME target the resolver reached
 * @param records       the properties; empty when the name has none (or does not exist)
 */
public record CaaRecordSet(String owner, String canonicalName, List<CaaRecord> records) {

    public CaaRecordSet {
        Objects.requireNonNull(owner, "owner");
        canonicalName = canonicalName == null ? owner : canonicalName;
        records = List.copyOf(records);
    }

    /** A name without CAA records. */
    public static CaaRecordSet empty(String owner) {
        return new CaaRecordSet(owner, owner, List.of());
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** {@code example.com.}, or {@code www.example.com. (CNAME to cdn.example.net.)}. */
    public String where() {
        return canonicalName.equals(owner) ? owner : owner + " (CNAME to " + canonicalName + ")";
    }

    /** The properties in presentation format, separated by {@code ", "}. */
    public String describe() {
        return records.stream().map(CaaRecord::toString).collect(Collectors.joining(", "));
    }
}
