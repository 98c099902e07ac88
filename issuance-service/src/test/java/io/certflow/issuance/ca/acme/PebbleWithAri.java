package io.certflow.issuance.ca.acme;

import io.certflow.devstack.AriEndpoint;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.keys.KeyType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Real Pebble 2.4 and BIND behind devstack's {@link AriEndpoint} (Pebble's directory plus {@code renewalInfo}),
 * with the acme4j adapter pointed at that directory and one registered account: what the ARI tests start from.
 * Close it after the tests.
 */
public record PebbleWithAri(Stack stack, BindProcess bind, PebbleProcess pebble, AriEndpoint ari,
                            AcmeCertificateAuthority ca, CaAccount account) implements AutoCloseable {

    /** Starts BIND and Pebble under {@code dir}, the ARI endpoint in front, and registers an account. */
    public static PebbleWithAri start(Path dir) throws Exception {
        Stack stack = Stack.start(StackConfig.forTests(dir, EnumSet.of(Component.BIND, Component.PEBBLE)));
        AriEndpoint ari = null;
        try {
            ari = AriEndpoint.start(stack.pebble());
            AcmeCertificateAuthority ca = new AcmeCertificateAuthority(URI.create(ari.directoryUrl()),
                    stack.pebble().caCertificate(), Duration.ofSeconds(10));
            CaAccount account = ca.registerAccount(KeyType.EC_P256.generate(), Optional.empty());
            return new PebbleWithAri(stack, stack.bind(), stack.pebble(), ari, ca, account);
        } catch (Exception | Error e) {
            if (ari != null) {
                ari.close();
            }
            stack.close();
            throw e;
        }
    }

    @Override
    public void close() {
        ari.close();
        stack.close();
    }
}
