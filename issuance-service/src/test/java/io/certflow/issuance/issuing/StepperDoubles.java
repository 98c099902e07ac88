package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.persistence.CertificateVersion;

import java.net.URI;
import java.security.KeyPair;
import java.util.Optional;

/**
 * The collaborators of {@link AttemptStepper} that tests of the poller and the limiter do not look at: one CA
 * account per certflow account (never registered, never forgotten) and a version store that keeps nothing.
 */
final class StepperDoubles {

    private StepperDoubles() {
    }

    /** {@code https://ca.test/acct/<account>} with {@code key}, for every account. */
    static CaAccounts fixedAccounts(KeyPair key) {
        return new CaAccounts() {
            @Override
            public CaAccount accountFor(String accountId, CaProfile profile) {
                return new CaAccount(URI.create("https://ca.test/acct/" + accountId), key);
            }

            @Override
            public void forget(String accountId, CaProfile profile) {
            }
        };
    }

    /** A store that keeps no version and finds none. */
    static VersionStore noVersions() {
        return new VersionStore() {
            @Override
            public void store(CertificateVersion version) {
            }

            @Override
            public Optional<CertificateVersion> find(String certificateId, String serialNumber) {
                return Optional.empty();
            }
        };
    }
}
