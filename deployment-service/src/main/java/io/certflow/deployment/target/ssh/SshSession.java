package io.certflow.deployment.target.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchAlgoNegoFailException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchSessionDisconnectException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.process.CommandResult;
import io.certflow.deployment.target.process.CommandRunner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * One logged-in SSH connection to a host, with the few things the SSH target does there: read a file, replace
 * a file atomically, remove a file (all over SFTP), and run a command. Every failure becomes a
 * {@link TargetException} that says, in words and without secrets, what failed and whether trying again later
 * may help: an unreachable or silent host may, a refused key or a host key that is not the pinned one may not.
 */
final class SshSession implements AutoCloseable {

    /** The largest file read back before a replacement (certificate chains are a few kB). */
    private static final int MAX_FILE = 1024 * 1024;
    /** How much of a reload command's output is kept. */
    private static final int MAX_OUTPUT = 16 * 1024;
    /** How many lines of a failing command's output a message quotes. */
    private static final int MESSAGE_LINES = 5;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SshCredential credential;
    private final Session session;
    private final int timeoutMillis;
    private ChannelSftp sftp;

    private SshSession(SshCredential credential, Session session, int timeoutMillis) {
        this.credential = credential;
        this.session = session;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Connects, proves the server holds a pinned host key, and logs in with the credential's key.
     *
     * @param timeout how long connecting, the handshake, and the server's silence afterwards may take
     * @throws TargetException retryable if the host could not be reached or did not answer in time; not retryable
     *                         if its host key is not pinned or it refused the key
     */
    static SshSession open(SshCredential credential, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        JSch jsch = new JSch();
        PinnedHostKeys.Verifier verifier = credential.hostKeys().verifier();
        try {
            jsch.addIdentity("certflow credential " + credential.credentialId(),
                    credential.privateKey().getBytes(StandardCharsets.US_ASCII), null,
                    credential.passphrase() == null ? null : credential.passphrase().getBytes(StandardCharsets.UTF_8));
        } catch (JSchException e) {
            throw new TargetException("the credential's private key cannot be used (wrong passphrase or not a "
                    + "private key)", false);
        }
        Session session = null;
        try {
            session = jsch.getSession(credential.username(), credential.host(), credential.port());
            session.setHostKeyRepository(verifier);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("server_host_key", credential.hostKeys().algorithms());
            session.setConfig("PreferredAuthentications", "publickey");
            session.setTimeout(millis);
            session.connect(millis);
            return new SshSession(credential, session, millis);
        } catch (JSchException e) {
            if (session != null) {
                session.disconnect();
            }
            throw connectFailure(credential, verifier, e);
        }
    }

    /**
     * The content of a file on the host, or empty if there is none.
     *
     * @throws TargetException if it exists but cannot be read
     */
    Optional<String> read(String path) {
        try (InputStream in = sftp().get(path)) {
            byte[] content = in.readNBytes(MAX_FILE + 1);
            if (content.length > MAX_FILE) {
                throw new TargetException(path + " on " + credential.address() + " is larger than " + MAX_FILE
                        + " bytes: not a certificate file", false);
            }
            return Optional.of(new String(content, StandardCharsets.ISO_8859_1));
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw sftpFailure("read " + path, e);
        } catch (IOException e) {
            if (e.getCause() instanceof SftpException sftpError) {
                if (sftpError.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    return Optional.empty();
                }
                throw sftpFailure("read " + path, sftpError);
            }
            throw new TargetException("cannot read " + path + " on " + credential.address() + ": " + e.getMessage(),
                    true, e);
        }
    }

    /**
     * Replaces a file on the host so that a reader sees the old content or the new, never part of it: writes a
     * temp file in the same directory with the given mode, then renames it over the file (POSIX rename where
     * the server offers it, as OpenSSH does). The file belongs to the login user afterwards.
     *
     * @param mode POSIX mode, e.g. {@code 0600}
     * @throws TargetException if it could not be replaced; the file is then unchanged
     */
    void replace(String path, String content, int mode) {
        String temp = SshResourceConfig.directoryOf(path) + (path.lastIndexOf('/') == 0 ? "" : "/")
                + "." + SshResourceConfig.fileNameOf(path) + ".certflow-" + HexFormat.of().toHexDigits(RANDOM.nextLong())
                + ".tmp";
        ChannelSftp channel = sftp();
        try {
            channel.put(new ByteArrayInputStream(new byte[0]), temp, ChannelSftp.OVERWRITE);
            channel.chmod(mode, temp);
            channel.put(new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)), temp,
                    ChannelSftp.OVERWRITE);
            channel.rename(temp, path);
        } catch (SftpException e) {
            try {
                channel.rm(temp);
            } catch (SftpException ignored) {
                // it was never created, or the connection is gone and so is the chance to tidy up
            }
            throw sftpFailure("write " + path, e);
        }
    }

    /**
     * Removes a file on the host; a missing file is fine.
     *
     * @throws TargetException if it exists and could not be removed
     */
    void remove(String path) {
        try {
            sftp().rm(path);
        } catch (SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                throw sftpFailure("remove " + path, e);
            }
        }
    }

    /**
     * Runs a command through the login user's shell on the host and waits for it, at most {@code timeout}.
     * The result's output is the first lines of what the command wrote to stderr (stdout if stderr was empty),
     * with PEM blocks and the key's passphrase removed: fit for a message.
     *
     * @throws TargetException if the connection broke
     */
    CommandResult run(String command, Duration timeout) {
        Execution execution = execute(command, timeout, MAX_OUTPUT);
        return new CommandResult(execution.exitCode(), execution.timedOut(), execution.summary());
    }

    /**
     * Runs a command like {@link #run} and answers what it wrote to stdout (at most {@code maxBytes}).
     *
     * @throws TargetException if the connection broke (retryable), or the command failed (not), saying how
     */
    String output(String command, Duration timeout, int maxBytes) {
        Execution execution = execute(command, timeout, maxBytes);
        CommandResult result = new CommandResult(execution.exitCode(), execution.timedOut(), execution.summary());
        if (!result.succeeded()) {
            throw new TargetException("'" + command + "' on " + credential.address() + " failed: " + result.describe(),
                    result.timedOut());
        }
        return execution.stdout();
    }

    /** How a command ended, with its bounded output. */
    private record Execution(int exitCode, boolean timedOut, String stdout, String summary) {
    }

    private Execution execute(String command, Duration timeout, int maxStdout) {
        ChannelExec channel;
        BoundedOutput out = new BoundedOutput(maxStdout);
        BoundedOutput err = new BoundedOutput(MAX_OUTPUT);
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            channel.setInputStream(null);
            channel.setOutputStream(out, true);
            channel.setErrStream(err, true);
            channel.connect(timeoutMillis);
        } catch (JSchException e) {
            throw new TargetException("cannot run a command on " + credential.address() + ": " + e.getMessage(),
                    true, e);
        }
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!channel.isClosed()) {
                if (!session.isConnected()) {
                    throw new TargetException("the connection to " + credential.address()
                            + " broke while a command ran", true);
                }
                if (System.nanoTime() >= deadline) {
                    return new Execution(-1, true, out.text(), firstLines(err, out));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Execution(-1, true, out.text(), "interrupted");
                }
            }
            return new Execution(channel.getExitStatus(), false, out.text(), firstLines(err, out));
        } finally {
            channel.disconnect();
        }
    }

    @Override
    public void close() {
        if (sftp != null) {
            sftp.disconnect();
        }
        session.disconnect();
    }

    private ChannelSftp sftp() {
        if (sftp == null) {
            try {
                ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
                channel.connect(timeoutMillis);
                sftp = channel;
            } catch (JSchException e) {
                throw new TargetException("SFTP is not available on " + credential.address() + ": " + e.getMessage(),
                        !session.isConnected(), e);
            }
        }
        return sftp;
    }

    private String firstLines(BoundedOutput err, BoundedOutput out) {
        String text = err.text().isBlank() ? out.text() : err.text();
        String[] lines = text.strip().split("\\R", MESSAGE_LINES + 1);
        String first = String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, MESSAGE_LINES)));
        if (credential.passphrase() != null) {
            first = first.replace(credential.passphrase(), "<redacted>");
        }
        return CommandRunner.clean(first);
    }

    private TargetException sftpFailure(String action, SftpException e) {
        if (!session.isConnected()) {
            return new TargetException("the connection to " + credential.address() + " broke: cannot " + action, true, e);
        }
        String reason = switch (e.id) {
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> "permission denied";
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> "no such file or directory";
            default -> e.getMessage() == null ? "SFTP error " + e.id : e.getMessage();
        };
        return new TargetException("cannot " + action + " on " + credential.address() + " as "
                + credential.username() + ": " + reason, false, e);
    }

    /** Says why connecting failed, and whether trying again may help. */
    static TargetException connectFailure(SshCredential credential, PinnedHostKeys.Verifier verifier, JSchException e) {
        String where = credential.address();
        if (e instanceof JSchHostKeyException) {
            return new TargetException("refused: the host key of " + where + " is not the pinned one (it presented "
                    + Optional.ofNullable(verifier.presented()).orElse("an unknown key") + ", pinned: "
                    + credential.hostKeys() + "); nothing was read or written", false);
        }
        if (e instanceof JSchAlgoNegoFailException nego) {
            if ("server_host_key".equals(nego.getAlgorithmName())) {
                return new TargetException("refused: " + where + " has no host key of the pinned type ("
                        + credential.hostKeys() + "; it offers " + nego.getServerProposal() + "); nothing was read or "
                        + "written", false);
            }
            return new TargetException("SSH to " + where + " failed: no common " + nego.getAlgorithmName()
                    + " algorithm (the server offers " + nego.getServerProposal() + ")", false);
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel") || message.startsWith("Partial auth")) {
            return new TargetException(where + " refused the credential's key for user " + credential.username()
                    + " (is its public key in the user's authorized_keys?)", false);
        }
        Throwable network = networkCause(e);
        if (network != null) {
            String reason = network instanceof UnknownHostException ? "unknown host " + credential.host()
                    : network.getMessage() == null ? network.getClass().getSimpleName() : network.getMessage();
            return new TargetException("cannot reach " + where + ": " + reason, true);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (e instanceof JSchSessionDisconnectException || lower.contains("timeout") || lower.contains("timed out")
                || lower.contains("closed by foreign host") || lower.contains("session is down")
                || lower.contains("connection reset")) {
            return new TargetException("cannot reach " + where + " (no SSH answer in time or the connection was "
                    + "closed): " + message, true);
        }
        return new TargetException("SSH to " + where + " failed: " + message, false);
    }

    private static Throwable networkCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof InterruptedIOException || t instanceof UnknownHostException
                    || t instanceof java.io.EOFException) {
                return t;
            }
        }
        return null;
    }

    /** Keeps the first bytes a command writes, up to a bound, and drops the rest. */
    private static final class BoundedOutput extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int max;

        BoundedOutput(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            if (bytes.size() < max) {
                bytes.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = max - bytes.size();
            if (room > 0) {
                bytes.write(b, off, Math.min(room, len));
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
