package io.certflow.deployment.target.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Talks to HAProxy's stats/admin UNIX socket (the runtime API) in its non-interactive mode: one connection per
 * command, HAProxy answers and closes. Knows nothing of what the commands mean.
 */
public class HaproxyAdminSocket {

    /** HAProxy's answers to certificate commands are short; anything longer is cut here. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final Duration timeout;

    /** A client that gives up on an answer after {@code timeout}. */
    public HaproxyAdminSocket(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Sends one command (with its payload, if any; it must end with a newline) and returns HAProxy's whole
     * answer.
     *
     * @throws IOException if the socket cannot be reached or HAProxy does not answer in time; the message names
     *                     the socket, never the command (which may hold a key)
     */
    public String send(Path socket, String command) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new IOException("cannot connect to HAProxy's admin socket " + socket + ": " + reason(e), e);
            }
            ByteBuffer out = ByteBuffer.wrap(command.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.configureBlocking(false);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (answer.size() < MAX_ANSWER_BYTES) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("HAProxy's admin socket " + socket + " did not answer within "
                                + timeout.toMillis() + " ms");
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    in.clear();
                    int read = channel.read(in);
                    if (read < 0) {
                        break;
                    }
                    answer.write(in.array(), 0, read);
                }
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
