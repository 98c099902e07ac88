package io.certflow.order.ordering;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

/**
 * What an order buys, checked once for both ways in (the API and upstream purchases): the
 * canonical domain names, the product, the paid term and whether certflow hosts (renews) it.
 *
 * @param domains   canonical names, duplicates removed, in the order given
 * @param product   the product code
 * @param termYears the paid term, 1 to 3 years
 * @param hosting   whether certflow renews the certificate for the whole term
 */
public record OrderTerms(List<String> domains, String product, int termYears, boolean hosting) {

    /** Shortest paid term. */
    public static final int MIN_TERM_YEARS = 1;
    /** Longest paid term. */
    public static final int MAX_TERM_YEARS = 3;
    /** Longest product code. */
    public static final int MAX_PRODUCT_LENGTH = 64;

    public OrderTerms {
        domains = List.copyOf(domains);
    }

    /**
     * Checks and normalizes raw order input.
     *
     * @throws InvalidOrderException naming the first rule broken
     */
    public static OrderTerms of(Collection<String> domains, String product, Integer termYears, boolean hosting,
                                int maxDomains) {
        return checked(DomainNames.normalizeAll(domains, maxDomains), product, termYears, hosting);
    }

    /**
     * Checks the terms of a purchase that names no domains (they come with the application).
     *
     * @throws InvalidOrderException naming the first rule broken
     */
    public static OrderTerms withoutNames(String product, Integer termYears, boolean hosting) {
        return checked(List.of(), product, termYears, hosting);
    }

    /** Whether these terms name the domains (a purchase may leave them for the application). */
    public boolean namesDomains() {
        return !domains.isEmpty();
    }

    private static OrderTerms checked(List<String> names, String product, Integer termYears, boolean hosting) {
        if (product == null || product.isBlank()) {
            throw new InvalidOrderException(ReasonCode.UNKNOWN_PRODUCT, "product: must not be blank");
        }
        String code = product.trim();
        if (code.length() > MAX_PRODUCT_LENGTH || !code.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new InvalidOrderException(ReasonCode.UNKNOWN_PRODUCT, "product: '" + (code.length() > MAX_PRODUCT_LENGTH
                    ? code.substring(0, MAX_PRODUCT_LENGTH) + "…" : code)
                    + "' is not a product code (letters, digits, '.', '_', '-'; at most " + MAX_PRODUCT_LENGTH + ")");
        }
        if (termYears == null) {
            throw new InvalidOrderException(ReasonCode.INVALID_TERM, "termYears: is required");
        }
        if (termYears < MIN_TERM_YEARS || termYears > MAX_TERM_YEARS) {
            throw new InvalidOrderException(ReasonCode.INVALID_TERM, "termYears: " + termYears + " is out of range; a term is "
                    + MIN_TERM_YEARS + " to " + MAX_TERM_YEARS + " years");
        }
        return new OrderTerms(names, code, termYears, hosting);
    }

    /** When a term bought at {@code start} ends: the same instant, {@code termYears} calendar years later (UTC). */
    public Instant termEndsAt(Instant start) {
        return start.atZone(ZoneOffset.UTC).plusYears(termYears).toInstant();
    }
}
