package io.certflow.platform.web;

/**
 * The account a request acts for, established from its API key. Declare it as a controller method
 * parameter; every query a controller makes is scoped to it, so one account never sees another's data.
 * For an {@link Role#OPERATOR} key the account is the one named in {@code X-Certflow-Account}.
 *
 * @param id      the account id
 * @param role    the role of the key that made the request
 * @param keyName the configured name of that key (never the key itself), for audit logs
 */
public record Account(String id, Role role, String keyName) {
}
