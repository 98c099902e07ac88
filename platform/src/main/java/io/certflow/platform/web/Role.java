package io.certflow.platform.web;

/**
 * What an API key may do. Exists so that an account can hand out keys that only read (dashboards,
 * auditors) and so that the platform's operators can look into any account without being able to
 * change it.
 */
public enum Role {
    /** Everything within its own account. */
    OWNER,
    /** Only {@code GET}/{@code HEAD} within its own account. */
    READ_ONLY,
    /** Only {@code GET}/{@code HEAD}, in any account, named per request in {@code X-Certflow-Account}. */
    OPERATOR;

    /** Whether a key of this role is tied to one account (all but {@link #OPERATOR}). */
    public boolean needsAccount() {
        return this != OPERATOR;
    }

    /** Whether a key of this role may send a request that changes something. */
    public boolean mayWrite() {
        return this == OWNER;
    }
}
