package io.certflow.platform.web;

/** The thing asked for does not exist, or belongs to another account (which is not told apart, so accounts cannot probe each other). Rendered as a 404 problem+json whose detail is this message. */
public class NotFoundException extends ApiException {

    public NotFoundException(String detail) {
        super(404, detail);
    }
}
