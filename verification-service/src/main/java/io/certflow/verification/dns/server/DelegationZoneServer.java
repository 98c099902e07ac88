package io.certflow.verification.dns.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The authoritative DNS server of the delegation zone, on UDP and TCP (RFC 7766: TCP is
 * mandatory, and a CA retries there after a truncated UDP answer). Customers' {@code _acme-challenge}
 * names are CNAMEs into this zone, so this server is what a CA asks when it validates DNS-01.
 *
 * <p>It runs on its own threads: {@code workerThreads} threads each receive a UDP datagram and answer
 * it (they call the {@link ChallengeRecordStore}; while all are busy, datagrams wait in the socket's
 * buffer), one accepts TCP connections and a bounded pool serves open TCP connections. Receiving and
 * answering on one thread saves handing each query over to another (p99 latency about halved beside a
 * receiver thread feeding a pool: docs/benchmarks.md). A malformed packet is dropped (a
 * malformed TCP stream is closed); nothing a client sends stops the server. What to answer is decided by {@link DelegationZoneResponder}.
 */
public final class DelegationZoneServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DelegationZoneServer.class);
    private static final int BIND_ATTEMPTS = 10;

    private final DnsServerSettings settings;
    private final DelegationZoneResponder responder;
    private final ResponseRateLimiter rateLimiter;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private volatile DatagramSocket udp;
    private volatile ServerSocket tcp;
    private volatile boolean running;
    private ThreadPoolExecutor tcpConnections;
    private final List<Thread> udpThreads = new ArrayList<>();
    private Thread acceptThread;

    public DelegationZoneServer(DnsServerSettings settings, ChallengeRecordStore store, long serial) {
        this.settings = settings;
        this.responder = new DelegationZoneResponder(settings, store, serial);
        this.rateLimiter = new ResponseRateLimiter(settings.responsesPerSecond(), settings.slip(), System::nanoTime);
    }

    /**
     * Binds UDP and TCP on the configured address and port and starts answering.
     *
     * @throws UncheckedIOException when the address or port cannot be bound
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        bind();
        tcpConnections = new ThreadPoolExecutor(0, settings.maxTcpConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("certflow-dns-tcp"), new ThreadPoolExecutor.AbortPolicy());
        running = true;
        ThreadFactory udpFactory = threads("certflow-dns-udp");
        udpThreads.clear();
        for (int i = 0; i < settings.workerThreads(); i++) {
            udpThreads.add(udpFactory.newThread(this::serveUdp));
        }
        acceptThread = threads("certflow-dns-tcp-accept").newThread(this::acceptTcp);
        udpThreads.forEach(Thread::start);
        acceptThread.start();
        log.info("delegation zone {} served on {}:{} (UDP and TCP)", settings.zone(), settings.address(), port());
    }

    private void bind() {
        InetAddress address;
        try {
            address = InetAddress.getByName(settings.address());
        } catch (IOException e) {
            throw new UncheckedIOException("DNS server address " + settings.address() + " is not an IP address", e);
        }
        IOException last = null;
        for (int attempt = 0; attempt < (settings.port() == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            DatagramSocket u = null;
            try {
                u = new DatagramSocket(null);
                u.bind(new InetSocketAddress(address, settings.port()));
                ServerSocket t = new ServerSocket();
                try {
                    t.setReuseAddress(true);
                    t.bind(new InetSocketAddress(address, u.getLocalPort()), 64);
                } catch (IOException e) {
                    t.close();
                    throw e;
                }
                udp = u;
                tcp = t;
                return;
            } catch (IOException e) {
                last = e;
                if (u != null) {
                    u.close();
                }
            }
        }
        throw new UncheckedIOException("cannot listen for DNS on " + settings.address() + ":" + settings.port(), last);
    }

    /** The port UDP and TCP listen on (the chosen one when configured as 0); -1 when not started. */
    public int port() {
        DatagramSocket u = udp;
        return u == null ? -1 : u.getLocalPort();
    }

    /** Whether the server is answering. */
    public boolean isRunning() {
        return running;
    }

    /** Stops answering, closes the sockets and waits briefly for queries in flight. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            log.debug("closing DNS TCP listener: {}", e.toString());
        }
        for (Socket s : connections) {
            closeQuietly(s);
        }
        tcpConnections.shutdown();
        try {
            tcpConnections.awaitTermination(2, TimeUnit.SECONDS);
            for (Thread t : udpThreads) {
                t.join(2000);
            }
            acceptThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tcpConnections.shutdownNow();
        log.info("delegation zone {} no longer served", settings.zone());
    }

    @Override
    public void close() {
        stop();
    }

    /** One UDP thread: receives a datagram, answers it, and again, until the socket is closed. */
    private void serveUdp() {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        DatagramSocket socket = udp;
        while (running) {
            packet.setLength(buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (running) {
                    log.warn("DNS UDP receive failed: {}", e.toString());
                    continue;
                }
                return;
            }
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            ResponseRateLimiter.Decision decision = rateLimiter.decide(client.getAddress());
            if (decision == ResponseRateLimiter.Decision.DROP) {
                continue;
            }
            byte[] query = Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
            answerUdp(socket, query, client, decision == ResponseRateLimiter.Decision.SLIP);
        }
    }

    private void answerUdp(DatagramSocket socket, byte[] query, InetSocketAddress client, boolean slip) {
        try {
            byte[] answer = slip ? responder.truncatedReply(query) : responder.respond(query, true);
            if (answer != null) {
                socket.send(new DatagramPacket(answer, answer.length, client));
            }
        } catch (IOException e) {
            if (running) {
                log.debug("cannot send DNS answer to {}: {}", client, e.toString());
            }
        } catch (RuntimeException e) {
            log.warn("failed to answer a DNS query from {}", client, e);
        }
    }

    private void acceptTcp() {
        ServerSocket listener = tcp;
        while (running) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (running) {
                    log.warn("DNS TCP accept failed: {}", e.toString());
                    continue;
                }
                return;
            }
            try {
                tcpConnections.execute(() -> serveTcp(socket));
            } catch (RejectedExecutionException e) {
                closeQuietly(socket); // too many connections (or stopping): the client retries
            }
        }
    }

    private void serveTcp(Socket socket) {
        connections.add(socket);
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (running) {
                byte[] query = readMessage(in, socket);
                if (query == null) {
                    return; // the client is done
                }
                byte[] answer = responder.respond(query, false);
                if (answer == null) {
                    return; // malformed stream: close it
                }
                byte[] framed = new byte[answer.length + 2];
                framed[0] = (byte) (answer.length >>> 8);
                framed[1] = (byte) answer.length;
                System.arraycopy(answer, 0, framed, 2, answer.length);
                out.write(framed);
                out.flush();
            }
        } catch (SocketException | EOFException | SocketTimeoutException e) {
            log.debug("DNS TCP connection ended: {}", e.toString());
        } catch (IOException | RuntimeException e) {
            log.warn("DNS TCP connection failed: {}", e.toString());
        } finally {
            connections.remove(socket);
        }
    }

    /**
     * Reads one length-prefixed message (RFC 1035 section 4.2.2), all of it within the idle timeout from when the
     * server starts waiting for it: a client that trickles bytes cannot hold a connection, one of the bounded TCP
     * slots, for longer than an idle one.
     *
     * @return the message, or null when the client closed the connection between messages
     * @throws SocketTimeoutException when the message did not arrive whole in time
     */
    private byte[] readMessage(InputStream in, Socket socket) throws IOException {
        long deadline = System.nanoTime() + settings.tcpIdleTimeout().toNanos();
        byte[] prefix = new byte[2];
        if (!readFully(in, socket, prefix, deadline)) {
            return null;
        }
        byte[] message = new byte[((prefix[0] & 0xff) << 8) | (prefix[1] & 0xff)];
        if (!readFully(in, socket, message, deadline)) {
            throw new EOFException("the stream ended inside a message");
        }
        return message;
    }

    /** Fills {@code buffer} before {@code deadline}; false when the stream ended before its first byte. */
    private static boolean readFully(InputStream in, Socket socket, byte[] buffer, long deadline) throws IOException {
        int read = 0;
        while (read < buffer.length) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no whole message within the idle timeout");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                if (read == 0) {
                    return false;
                }
                throw new EOFException("the stream ended inside a message");
            }
            read += n;
        }
        return true;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
