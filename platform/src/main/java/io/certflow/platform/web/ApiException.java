package io.certflow.platform.web;

/**
 * An error a controller answers with: an HTTP status and a detail meant for the caller. The detail
 * is shown as it is, so it never carries secrets.
 */
public abstract class ApiException extends RuntimeException {

    private final int status;

    protected ApiException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
