package io.certflow.platform.web;

/** The request contradicts the current state (a duplicate, or a step out of order). Rendered as a 409 problem+json whose detail is this message. */
public class ConflictException extends ApiException {

    public ConflictException(String detail) {
        super(409, detail);
    }
}
