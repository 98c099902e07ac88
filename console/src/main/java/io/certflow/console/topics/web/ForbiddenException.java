package io.certflow.console.topics.web;

import io.certflow.platform.web.ApiException;

/** A valid key that may not do this (not an operator's, or an operator's that may not replay): a 403 problem+json. */
public class ForbiddenException extends ApiException {

    public ForbiddenException(String detail) {
        super(403, detail);
    }
}
