package io.certflow.issuance.ca.acme;

import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

import javax.net.ssl.SSLContext;
import java.net.http.HttpClient;

/**
 * An acme4j provider for an {@code https://} directory URL whose connections trust the CA profile's
 * own anchors. acme4j 3.x builds one {@link HttpClient} per connection through
 * {@link HttpConnector#createClientBuilder()}; overriding it is the library's documented hook (its own
 * Pebble provider does the same with a bundled certificate), so the JVM default trust store stays as
 * it is for everything else.
 */
final class ProfileAcmeProvider extends GenericAcmeProvider {

    private final SSLContext sslContext;

    ProfileAcmeProvider(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    protected HttpConnector createHttpConnector(NetworkSettings settings) {
        return new HttpConnector(settings) {
            @Override
            public HttpClient.Builder createClientBuilder() {
                return super.createClientBuilder().sslContext(sslContext);
            }
        };
    }
}
