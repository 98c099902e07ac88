package io.certflow.issuance.caa;

/**
 * CAA definitely does not allow the CA to issue for one name of the request: the name, the relevant record set
 * and why. Exists so that the failure says what a domain owner needs to fix it.
 *
 * @param domain the name as requested ({@code *.example.com})
 * @param set    the relevant record set and where it was found
 * @param issuer the CA and account that asked
 * @param denial why the set does not allow it, and the fix
 */
public record CaaRefusal(String domain, CaaRecordSet set, CaaIssuer issuer, CaaRules.Denial denial) {

    /**
     * One sentence for the user, e.g. {@code CAA forbids CA profile 'le' (letsencrypt.org) to issue for
     * www.example.com: the CAA record set at example.com. [0 issue "sectigo.com"] allows only sectigo.com to issue
     * certificates. To allow it, add example.com. CAA 0 issue "letsencrypt.org" to that set, then request the
     * certificate again.}
     */
    public String sentence() {
        return "CAA forbids " + issuer.describe() + " to issue for " + domain + ": the CAA record set at "
                + set.where() + " [" + set.describe() + "] " + denial.why() + ". To allow it, " + denial.fix()
                + ", then request the certificate again.";
    }
}
