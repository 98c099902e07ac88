package io.certflow.issuance.ca.acme;

import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

import javax.net.ssl.SSLContext;
import java.net.http.HttpClient;

/**
 * An acme4j provider for an {@code https://} directory URL whose connections trust the CA profile's
 * own anchors. acme4j 4 builds one {@link HttpClient} per session through
 * {@link org.shredzone.acme4j.provider.AcmeProvider#createHttpClient}; overriding it is the library's hook (its own
 * Pebble provider does the same with a bundled certificate), so the JVM default trust store stays as
 * it is for everything else. The client is built as acme4j's default one is, with the profile's trust.
 */
final class ProfileAcmeProvider extends GenericAcmeProvider {

    private final SSLContext sslContext;

    ProfileAcmeProvider(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector());
        if (settings.getAuthenticator() != null) {
            builder.authenticator(settings.getAuthenticator());
        }
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        return builder.build();
    }
}
