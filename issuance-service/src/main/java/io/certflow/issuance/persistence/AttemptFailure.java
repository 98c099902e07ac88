package io.certflow.issuance.persistence;

/**
 * Why an attempt failed, as published in {@code IssuanceFailed} and shown by the API.
 *
 * @param reason      a sentence a person can act on
 * @param problemType the CA's problem type, or a certflow reason code
 * @param retryable   whether a later attempt can help
 */
public record AttemptFailure(String reason, String problemType, boolean retryable) {
}
