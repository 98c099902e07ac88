package io.certflow.platform.web;

/**
 * The account a request acts for, established from its API key. Declare it as a controller method
 * parameter; every query a controller makes is scoped to it, so one account never sees another's data.
 *
 * @param id the account id
 */
public record Account(String id) {
}
