package io.certflow.platform.web;

/** The request carries no valid credential. Rendered as a 401 problem+json whose detail is this message. */
public class UnauthorizedException extends ApiException {

    public UnauthorizedException(String detail) {
        super(401, detail);
    }
}
