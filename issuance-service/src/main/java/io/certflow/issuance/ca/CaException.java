package io.certflow.issuance.ca;

/**
 * Root of the errors a {@link CertificateAuthority} reports, modelled on acme4j's {@code AcmeException}:
 * either {@link CaTransientException} (try the same call later) or {@link CaRefusedException} (the CA
 * said no). Checked, so that no caller forgets to decide. Messages never contain keys or secrets.
 */
public abstract sealed class CaException extends Exception permits CaTransientException, CaRefusedException {

    protected CaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The problem type URN the CA (or certflow) gave this error, or null. */
    public abstract String problemType();
}
