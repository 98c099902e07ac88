package io.certflow.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the certificate a TLS server serves for a name (SNI), trusting anything, like
 * {@code openssl s_client -servername}: the proof that a deployment reached the server.
 */
public final class TlsProbe {
    private TlsProbe() {
    }

    /** The leaf certificate served at host:port for {@code serverName}. */
    public static X509Certificate servedCertificate(String host, int port, String serverName) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(host, port), 3000);
                socket.setSoTimeout(5000);
                SSLParameters params = socket.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName(serverName)));
                socket.setSSLParameters(params);
                socket.startHandshake();
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new DevstackException("TLS handshake with " + host + ":" + port + " (SNI " + serverName + ") failed: "
                    + e.getMessage(), e);
        }
    }

    /** The served leaf's serial number in lowercase hex without leading zeros. */
    public static String servedSerialHex(String host, int port, String serverName) {
        return servedCertificate(host, port, serverName).getSerialNumber().toString(16).toLowerCase(Locale.ROOT);
    }

    /** Lowercase hex without separators and leading zeros, so serials printed in different styles compare. */
    public static String normalizeSerial(String serial) {
        if (serial == null) {
            return null;
        }
        String s = serial.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        s = s.replaceFirst("^0+(?=.)", "");
        return s;
    }

    private static final class TrustAll implements X509TrustManager {
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
