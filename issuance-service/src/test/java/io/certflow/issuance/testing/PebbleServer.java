package io.certflow.issuance.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Pebble ACME server and a real {@code pebble-challtestsrv} DNS server (the only resolver Pebble
 * validates DNS-01 against) on free loopback ports, in a temporary directory, for the life of a test.
 * The Pebble listener certificate names {@code localhost} and is signed by a throw-away CA whose PEM
 * is {@link #trustedCertificate()}: the CA profile's trust anchor.
 */
public final class PebbleServer implements AutoCloseable {

    private static final Path PEBBLE = Path.of("/usr/bin/pebble");
    private static final Path CHALLTESTSRV = Path.of("/usr/bin/pebble-challtestsrv");

    private final Path dir;
    private final Path trustedCertificate;
    private final int acmePort;
    private final int dnsPort;
    private final int dnsManagementPort;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PebbleServer() throws Exception {
        dir = Files.createTempDirectory("certflow-pebble-");
        acmePort = freeTcpPort();
        int managementPort = freeTcpPort();
        dnsPort = freeUdpAndTcpPort();
        dnsManagementPort = freeTcpPort();

        KeyPair caKey = ecKey();
        X500Name caName = new X500Name("CN=certflow test pebble listener CA");
        X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(), caName, caKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), caKey.getPrivate());
        KeyPair listenerKey = ecKey();
        X509Certificate listener = sign(new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(),
                new X500Name("CN=localhost"), listenerKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")})), caKey.getPrivate());
        trustedCertificate = dir.resolve("listener-ca.pem");
        Files.writeString(trustedCertificate, pem("CERTIFICATE", ca.getEncoded()));
        Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", listener.getEncoded()));
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", listenerKey.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("pebble-config.json"), """
                {"pebble": {
                  "listenAddress": "127.0.0.1:%d",
                  "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s",
                  "privateKey": "%s",
                  "httpPort": %d,
                  "tlsPort": %d,
                  "ocspResponderURL": "",
                  "externalAccountBindingRequired": false
                }}
                """.formatted(acmePort, managementPort, dir.resolve("cert.pem"), dir.resolve("key.pem"),
                freeTcpPort(), freeTcpPort()));

        start(dir.resolve("challtestsrv.log"), List.of(CHALLTESTSRV.toString(),
                "-dns01", "127.0.0.1:" + dnsPort, "-management", "127.0.0.1:" + dnsManagementPort,
                "-http01", "", "-https01", "", "-tlsalpn01", ""));
        awaitPort(dnsManagementPort);
        ProcessBuilder pebble = new ProcessBuilder(PEBBLE.toString(),
                "-config", dir.resolve("pebble-config.json").toString(), "-dnsserver", "127.0.0.1:" + dnsPort);
        pebble.environment().put("PEBBLE_VA_NOSLEEP", "1");
        pebble.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        start(dir.resolve("pebble.log"), pebble);
        awaitPort(acmePort);
    }

    /** Starts Pebble and challtestsrv; close it to stop both and delete the directory. */
    public static PebbleServer start() throws Exception {
        if (!Files.isExecutable(PEBBLE) || !Files.isExecutable(CHALLTESTSRV)) {
            throw new IllegalStateException("pebble and pebble-challtestsrv are needed (Debian package 'pebble')");
        }
        return new PebbleServer();
    }

    /** The ACME directory URL. */
    public URI directoryUrl() {
        return URI.create("https://localhost:" + acmePort + "/dir");
    }

    /** PEM of the CA that signed Pebble's listener certificate. */
    public Path trustedCertificate() {
        return trustedCertificate;
    }

    /** Adds a TXT value at {@code host} (fully qualified, with the trailing dot) in the DNS Pebble asks. */
    public void setTxt(String host, String value) {
        manage("/set-txt", "{\"host\":\"" + host + "\",\"value\":\"" + value + "\"}");
    }

    /** Removes every TXT value at {@code host}. */
    public void clearTxt(String host) {
        manage("/clear-txt", "{\"host\":\"" + host + "\"}");
    }

    /** The pebble log so far (for failure messages). */
    public String pebbleLog() {
        try {
            return Files.readString(dir.resolve("pebble.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void manage(String path, String json) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + dnsManagementPort + path))
                            .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("challtestsrv " + path + " answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("challtestsrv " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void start(Path log, List<String> command) throws IOException {
        start(log, new ProcessBuilder(command));
    }

    private void start(Path log, ProcessBuilder builder) throws IOException {
        builder.redirectErrorStream(true).redirectOutput(log.toFile()).directory(dir.toFile());
        processes.add(builder.start());
    }

    private void awaitPort(int port) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a test server exited early; logs in " + dir + ":\n" + pebbleLog());
                }
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("port " + port + " did not open; logs in " + dir);
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free UDP+TCP port");
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(System.nanoTime()).abs().add(BigInteger.ONE);
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
