package io.certflow.platform.web;

/** The request is malformed or breaks a rule; the message says which, for the caller to fix. Rendered as a 400 problem+json whose detail is this message. */
public class BadRequestException extends ApiException {

    public BadRequestException(String detail) {
        super(400, detail);
    }
}
