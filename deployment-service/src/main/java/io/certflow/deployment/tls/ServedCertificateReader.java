package io.certflow.deployment.tls;

import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ServedCertificate;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads the leaf certificate a TLS endpoint presents for a server name (SNI), the way a browser would ask
 * for it. This is how every server-type target proves what it serves after a deployment.
 *
 * <p>It trusts every certificate because it only <em>reads</em>: nothing is sent over the connection, and
 * the caller compares the serial with the one it deployed. Never use it to talk to a server.
 */
public class ServedCertificateReader {

    private final Duration timeout;

    /** A reader that gives up on connecting or handshaking after {@code timeout}. */
    public ServedCertificateReader(Duration timeout) {
        this.timeout = timeout;
    }

    /** What {@code host:port} serves for {@code serverName}; the reason if it could not be read. */
    public ReadBack read(String host, int port, String serverName) {
        try {
            return ReadBack.of(ServedCertificate.of(leaf(host, port, serverName)));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return ReadBack.unknown("TLS handshake with " + host + ":" + port
                    + (serverName == null ? "" : " for " + serverName) + " failed: " + reason);
        }
    }

    /**
     * Why {@code host:port} does not take a TCP connection (refused, timed out, unknown host), or empty if it
     * does. Tells a server that is down, where nothing should be touched, from one that serves something.
     */
    public Optional<String> connectFailure(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of(host + ":" + port + " does not accept connections (" + reason + ")");
        }
    }

    /** The leaf certificate {@code host:port} presents for {@code serverName} (no SNI if null or blank). */
    public X509Certificate leaf(String host, int port, String serverName) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new ReadOnlyTrustManager()}, null);
        int millis = (int) Math.max(1, timeout.toMillis());
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                if (serverName != null && !serverName.isBlank()) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setServerNames(List.of(new SNIHostName(serverName)));
                    socket.setSSLParameters(parameters);
                }
                socket.startHandshake();
                Certificate[] peer = socket.getSession().getPeerCertificates();
                if (peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) {
                    throw new IOException("the server presented no X.509 certificate");
                }
                return leaf;
            }
        } finally {
            plain.close();
        }
    }

    /** Accepts any server certificate: the connection is only used to look at it. */
    private static final class ReadOnlyTrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
