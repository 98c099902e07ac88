package io.certflow.deployment.target.ssh;

import io.certflow.deployment.target.TargetAccess;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} (Debian {@code openssh-server}) on a free loopback port, with its own host key, one
 * authorized user key (encrypted with a passphrase) and everything in a temp directory: the host the SSH target
 * deploys to in tests. It logs in the user running the tests; run as root (as CI does), sshd needs its privilege
 * separation directory {@code /run/sshd}, which the Debian service would create and is created here if missing.
 */
final class TestSshd implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    /** The passphrase of the user key; a secret that no outcome may show. */
    static final String PASSPHRASE = "correct-horse-battery-staple-7f3a";

    private final Path dir;
    private final int port;
    private Process process;

    private TestSshd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Whether sshd and ssh-keygen are installed. */
    static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(SSH_KEYGEN);
    }

    /** Makes keys and a configuration under {@code dir}, starts sshd and waits until it listens. */
    static TestSshd start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        keygen(dir.resolve("host_key"), "ed25519", "", "certflow-test-host");
        keygen(dir.resolve("user_key"), "ed25519", PASSPHRASE, "certflow-test-user");
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        if ("root".equals(System.getProperty("user.name"))) {
            Path privsep = Path.of("/run/sshd");
            if (!Files.isDirectory(privsep)) {
                Files.createDirectories(privsep, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        }
        TestSshd sshd = new TestSshd(dir, freePort());
        Files.writeString(dir.resolve("sshd_config"), """
                Port %1$d
                ListenAddress 127.0.0.1
                HostKey %2$s/host_key
                PidFile %2$s/sshd.pid
                AuthorizedKeysFile %2$s/authorized_keys
                StrictModes no
                UsePAM no
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                Subsystem sftp internal-sftp
                """.formatted(sshd.port, dir));
        sshd.run();
        return sshd;
    }

    /** Starts sshd (again) on the same port and keys. */
    void run() throws IOException, InterruptedException {
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("sshd did not start: " + Files.readString(log()));
            }
            Thread.sleep(50);
        }
    }

    /** Stops sshd and waits until its port is closed. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    int port() {
        return port;
    }

    Path log() {
        return dir.resolve("sshd.log");
    }

    /** The host key as {@code ssh-keyscan} would print it: a known_hosts line. */
    String knownHostsLine() throws IOException {
        return "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")).strip();
    }

    /** The user's private key (OpenSSH form, encrypted). */
    String privateKey() throws IOException {
        return Files.readString(dir.resolve("user_key"));
    }

    /** The credential certflow would store for this host. */
    TargetAccess access() throws IOException {
        return access(knownHostsLine(), privateKey(), PASSPHRASE);
    }

    /** A credential for this host with the given host key and private key. */
    TargetAccess access(String hostKey, String privateKey, String passphrase) {
        Map<String, String> secrets = passphrase == null
                ? Map.of("privateKey", privateKey)
                : Map.of("privateKey", privateKey, "passphrase", passphrase);
        return new TargetAccess("cred-1", Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                "username", System.getProperty("user.name"), "hostKey", hostKey), secrets);
    }

    /** Allows another public key to log in. */
    void authorize(String publicKey) throws IOException {
        Files.writeString(dir.resolve("authorized_keys"), publicKey.strip() + "\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * Makes a key pair with ssh-keygen: {@code file} and {@code file.pub}.
     *
     * @param type       {@code ed25519}, {@code ecdsa}, {@code rsa}
     * @param passphrase empty for none
     */
    static void keygen(Path file, String type, String passphrase, String comment, String... options)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(SSH_KEYGEN.toString(), "-q", "-t", type,
                "-N", passphrase, "-C", comment, "-f", file.toString()));
        command.addAll(List.of(options));
        Process keygen = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes());
        if (keygen.waitFor() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + output);
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
