package io.certflow.deployment.target.keystore;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Java TLS server for tests, as a Tomcat or Spring Boot connector is one: it serves the key entry of a
 * JDK {@link KeyStore}. Either it watches a keystore file and loads it again when a trigger file's modification
 * time changes (what a reload command {@code touch <trigger>} does; a keystore it cannot load leaves it on the
 * one it had, as a server keeps its old SSL context), or a test hands it a chain and key directly.
 */
public final class JavaTlsServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Thread acceptor;
    private final Watch watch;
    private final List<String> reloadFailures = new CopyOnWriteArrayList<>();
    private volatile SSLContext context;
    private volatile FileTime triggerSeen;

    /** A keystore file, its type and password, the alias the server is configured for, and the trigger file. */
    private record Watch(Path keystore, String type, char[] password, String alias, Path trigger) {
    }

    private JavaTlsServer(SSLContext context, Watch watch) throws IOException {
        this.context = context;
        this.watch = watch;
        this.triggerSeen = watch == null ? null : modified(watch.trigger());
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = new Thread(this::accept, "java-tls-server-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A server of the entry {@code alias} in {@code keystore} (opened with {@code password} for the store and the
     * key, as Spring Boot does when no key password is set) that loads the file again after {@code trigger}
     * changes.
     */
    public static JavaTlsServer watching(Path keystore, String type, char[] password, String alias, Path trigger)
            throws IOException, GeneralSecurityException {
        Watch watch = new Watch(keystore, type, password, alias, trigger);
        return new JavaTlsServer(load(watch), watch);
    }

    /** A server of {@code chain} and {@code key}; {@link #serve} changes them. */
    public static JavaTlsServer serving(List<X509Certificate> chain, PrivateKey key)
            throws IOException, GeneralSecurityException {
        return new JavaTlsServer(context(chain, key), null);
    }

    /** Serves {@code chain} and {@code key} from the next connection on. */
    public void serve(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
        try {
            context = context(chain, key);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** {@code 127.0.0.1:port}, as a resource's {@code tlsAddress}. */
    public String address() {
        return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
    }

    /** Why reloads were refused (the server kept its keystore), in order. */
    public List<String> reloadFailures() {
        return List.copyOf(reloadFailures);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try (Socket plain = listener.accept()) {
                reloadIfTriggered();
                plain.setSoTimeout(5_000);
                try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, (InputStream) null, false)) {
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                }
            } catch (IOException e) {
                // a client that went away, or the listener was closed
            }
        }
    }

    private void reloadIfTriggered() {
        if (watch == null) {
            return;
        }
        FileTime now = modified(watch.trigger());
        if (now == null || now.equals(triggerSeen)) {
            return;
        }
        triggerSeen = now;
        try {
            context = load(watch);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            reloadFailures.add(e.toString());
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static SSLContext load(Watch watch) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance(watch.type());
        try (InputStream in = Files.newInputStream(watch.keystore())) {
            keyStore.load(in, watch.password());
        }
        if (!keyStore.isKeyEntry(watch.alias())) {
            throw new GeneralSecurityException("no key entry " + watch.alias());
        }
        return context(keyStore, watch.password(), watch.alias());
    }

    private static SSLContext context(List<X509Certificate> chain, PrivateKey key)
            throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        char[] password = "in-memory".toCharArray();
        keyStore.setKeyEntry("served", key, password, chain.toArray(Certificate[]::new));
        return context(keyStore, password, "served");
    }

    private static SSLContext context(KeyStore keyStore, char[] keyPassword, String alias) throws GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
        factory.init(keyStore, keyPassword);
        X509ExtendedKeyManager keys = (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new AliasKeyManager(keys, alias)}, null, null);
        return context;
    }

    /** Serves one alias, as {@code server.ssl.key-alias} does. */
    private static final class AliasKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;
        private final String alias;

        AliasKeyManager(X509ExtendedKeyManager keys, String alias) {
            this.keys = keys;
            this.alias = alias;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return serves(keyType) ? alias : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return serves(keyType) ? alias : null;
        }

        private boolean serves(String keyType) {
            PrivateKey key = keys.getPrivateKey(alias);
            return key != null && key.getAlgorithm().equals(keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
