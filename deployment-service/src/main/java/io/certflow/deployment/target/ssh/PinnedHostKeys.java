package io.certflow.deployment.target.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host keys an SSH credential pins: the server must present one of them, byte for byte, or the connection
 * ends before anything is read or written. It exists because trusting a key on first use would hand certificate
 * private keys to whoever answers first on the host's address.
 *
 * <p>Accepts, one per line, known_hosts lines ({@code [host]:2222 ssh-ed25519 AAAA…}, hashed host names too;
 * the host part is not compared: the credential names the host) and OpenSSH public keys
 * ({@code ssh-ed25519 AAAA… comment}, as in {@code /etc/ssh/ssh_host_ed25519_key.pub}).
 */
public final class PinnedHostKeys {

    /** The host key types this client verifies. */
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-ed448", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa");

    private final List<Key> keys;

    private PinnedHostKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * One pinned key.
     *
     * @param type the key type, e.g. {@code ssh-ed25519}
     * @param blob the public key in SSH wire form
     */
    public record Key(String type, byte[] blob) {

        /** {@code SHA256:…}, as {@code ssh-keygen -l} and sshd's log show it. */
        public String fingerprint() {
            return PinnedHostKeys.fingerprint(blob);
        }

        @Override
        public String toString() {
            return type + " " + fingerprint();
        }
    }

    /**
     * Reads the pinned keys.
     *
     * @throws IllegalArgumentException saying what is wrong with the text (it holds no secret, so the message may
     *                                  quote it)
     */
    public static PinnedHostKeys parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no host key given");
        }
        List<Key> keys = new ArrayList<>();
        String[] lines = text.strip().split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            keys.add(parseLine(line, lines.length == 1 ? "" : "line " + (i + 1) + ": "));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no host key given");
        }
        return new PinnedHostKeys(keys);
    }

    private static Key parseLine(String line, String where) {
        if (line.startsWith("@")) {
            throw new IllegalArgumentException(where + "markers such as " + line.split("\\s+")[0]
                    + " are not supported: pin the server's own host key");
        }
        String[] words = line.split("\\s+");
        for (int i = 0; i < Math.min(2, words.length - 1); i++) {
            if (!words[i].matches("ssh-[a-z0-9]+|ecdsa-sha2-[a-z0-9]+|sk-.+")) {
                continue;
            }
            String type = words[i];
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException(where + "host key type " + type + " is not supported (supported: "
                        + String.join(", ", TYPES.stream().sorted().toList()) + ")");
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(words[i + 1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "the " + type + " key is not base64");
            }
            if (!type.equals(blobType(blob))) {
                throw new IllegalArgumentException(where + "the key data is not an " + type + " key");
            }
            return new Key(type, blob);
        }
        throw new IllegalArgumentException(where + "not a known_hosts line nor an OpenSSH public key "
                + "(expected e.g. 'ssh-ed25519 AAAA…' as in /etc/ssh/ssh_host_ed25519_key.pub)");
    }

    /** The pinned keys, in the order given. */
    public List<Key> keys() {
        return keys;
    }

    /**
     * The host key algorithms to offer the server, so that it proves a key of a pinned type and no other:
     * {@code rsa-sha2-512,rsa-sha2-256} for an {@code ssh-rsa} key (never SHA-1 signatures).
     */
    public String algorithms() {
        Set<String> algorithms = new LinkedHashSet<>();
        for (Key key : keys) {
            if (key.type().equals("ssh-rsa")) {
                algorithms.add("rsa-sha2-512");
                algorithms.add("rsa-sha2-256");
            } else {
                algorithms.add(key.type());
            }
        }
        return String.join(",", algorithms);
    }

    /** A verifier for one connection: it remembers what the server presented, for the message. */
    Verifier verifier() {
        return new Verifier();
    }

    @Override
    public String toString() {
        return keys.toString();
    }

    /** {@code SHA256:} and the unpadded base64 SHA-256 of a key blob. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The type string a key blob starts with, or null if it is not a key blob. */
    private static String blobType(byte[] blob) {
        if (blob.length < 4) {
            return null;
        }
        int length = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (length <= 0 || length > blob.length - 4) {
            return null;
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    /**
     * JSch's view of the pinned keys for one connection: a key is accepted only if it is pinned; nothing is ever
     * added (no trust on first use).
     */
    final class Verifier implements HostKeyRepository {

        private volatile byte[] presented;

        /** The key the server presented, if it got that far. */
        String presented() {
            byte[] key = presented;
            return key == null ? null : blobType(key) + " " + fingerprint(key);
        }

        @Override
        public int check(String host, byte[] key) {
            presented = key.clone();
            String type = blobType(key);
            boolean sameType = false;
            for (Key pinned : keys) {
                if (Arrays.equals(pinned.blob(), key)) {
                    return OK;
                }
                sameType |= pinned.type().equals(type);
            }
            return sameType ? CHANGED : NOT_INCLUDED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // pinned: never learns a key
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "certflow pinned host keys";
        }

        @Override
        public HostKey[] getHostKey() {
            return getHostKey(null, null);
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            List<HostKey> matching = new ArrayList<>();
            for (Key key : keys) {
                if (type == null || type.equals(key.type())) {
                    try {
                        matching.add(new HostKey(host == null ? "pinned" : host, key.blob()));
                    } catch (JSchException e) {
                        // a type JSch does not know cannot be presented by the server either
                    }
                }
            }
            return matching.toArray(new HostKey[0]);
        }
    }
}
