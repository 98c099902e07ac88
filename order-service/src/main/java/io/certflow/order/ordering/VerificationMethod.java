package io.certflow.order.ordering;

import io.certflow.events.v1.CertificateRequested;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an application proves control of its domains, as {@code CertificateRequested.verificationMethod}
 * names it. Exists so that a misspelt method is refused with a reason when the order is applied, not
 * discovered by verification later.
 */
public enum VerificationMethod {
    /** A one-time CNAME of {@code _acme-challenge.<domain>} to certflow's delegation zone. */
    CNAME_DELEGATION(CertificateRequested.CNAME_DELEGATION),
    /** The account's own DNS, through its provider's API ("automatic DNS"). */
    DNS_PROVIDER(CertificateRequested.DNS_PROVIDER);

    private final String eventName;

    VerificationMethod(String eventName) {
        this.eventName = eventName;
    }

    /** The name in {@code CertificateRequested}. */
    public String eventName() {
        return eventName;
    }

    /**
     * The method named {@code raw} (case and {@code -}/{@code _} do not matter; {@code CNAME} and {@code DNS}
     * are accepted as short names), or null for none.
     *
     * @throws InvalidOrderException ({@link ReasonCode#INVALID_VERIFICATION_METHOD}) for an unknown name
     */
    public static VerificationMethod parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String name = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        switch (name) {
            case "CNAME":
                return CNAME_DELEGATION;
            case "DNS":
                return DNS_PROVIDER;
            default:
                return Arrays.stream(values()).filter(m -> m.name().equals(name)).findFirst()
                        .orElseThrow(() -> new InvalidOrderException(ReasonCode.INVALID_VERIFICATION_METHOD,
                                "verificationMethod: '" + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw)
                                        + "' is not one of " + Arrays.stream(values()).map(Enum::name)
                                        .collect(Collectors.joining(", "))));
        }
    }
}
