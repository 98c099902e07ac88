package io.certflow.deployment.target.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How certflow logs in to one host: where, as whom, which host key the server must prove, and the private key.
 * Read from a stored credential ({@link TargetAccess}) and checked as a whole, so that a person sees every
 * mistake when saving it. {@link #toString()} never shows the private key or its passphrase.
 *
 * @param credentialId the stored credential, for messages
 * @param host         host name or IP address (IPv6 without brackets)
 * @param port         the SSH port
 * @param username     the account certflow logs in as
 * @param hostKeys     the pinned host key(s)
 * @param privateKey   OpenSSH or PEM private key; never logged
 * @param passphrase   the private key's passphrase, or null; never logged
 */
public record SshCredential(String credentialId, String host, int port, String username, PinnedHostKeys hostKeys,
                            String privateKey, String passphrase) {

    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String USERNAME = "username";
    public static final String HOST_KEY = "hostKey";
    public static final String PRIVATE_KEY = "privateKey";
    public static final String PASSPHRASE = "passphrase";

    /** What an SSH credential holds: {@link #check} knows these names and no others. */
    public static final List<CredentialField> FIELDS = List.of(
            CredentialField.setting(HOST, "Host name or IP address"),
            CredentialField.optionalSetting(PORT, "Port (22 by default)"),
            CredentialField.setting(USERNAME, "User certflow logs in as"),
            CredentialField.setting(HOST_KEY, "Host key (the server's public key or its known_hosts line; pinned)"),
            CredentialField.secret(PRIVATE_KEY, "Private key (OpenSSH or PEM)").spanningLines(),
            CredentialField.optionalSecret(PASSPHRASE, "Passphrase of the private key"));
    /** The plain settings of an SSH credential. */
    public static final Set<String> SETTINGS = CredentialField.settingNames(FIELDS);
    /** The secret settings of an SSH credential. */
    public static final Set<String> SECRETS = CredentialField.secretNames(FIELDS);

    /**
     * Reads and checks a credential before it is stored: its shape only (the private key is decrypted with the
     * passphrase to prove they belong together), nothing is sent to the host.
     *
     * @throws InvalidTargetConfigException naming every problem, never a secret's value
     */
    public static SshCredential check(TargetAccess access) {
        return read(access, true);
    }

    /**
     * Reads a stored credential for a connection, without decrypting the key (logging in does that once).
     *
     * @throws InvalidTargetConfigException naming every problem, never a secret's value
     */
    public static SshCredential from(TargetAccess access) {
        return read(access, false);
    }

    private static SshCredential read(TargetAccess access, boolean decrypt) {
        List<String> problems = new ArrayList<>();
        access.settings().keySet().stream().filter(k -> !SETTINGS.contains(k)).sorted()
                .forEach(k -> problems.add("unknown setting '" + k + "' (known: " + String.join(", ", SETTINGS) + ")"));
        access.secrets().keySet().stream().filter(k -> !SECRETS.contains(k)).sorted()
                .forEach(k -> problems.add("unknown secret '" + k + "' (known: " + String.join(", ", SECRETS) + ")"));

        String host = access.setting(HOST);
        if (host == null) {
            problems.add("'host' is required (the SSH server's host name or IP address)");
        } else {
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty() || !host.matches("[A-Za-z0-9.:%_-]+")) {
                problems.add("'host' must be a host name or an IP address");
            }
        }
        int port = 22;
        String portText = access.setting(PORT);
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
                if (port < 1 || port > 65535) {
                    problems.add("'port' must be 1-65535");
                }
            } catch (NumberFormatException e) {
                problems.add("'port' is not a number");
            }
        }
        String username = access.setting(USERNAME);
        if (username == null) {
            problems.add("'username' is required (the account certflow logs in as)");
        } else if (!username.matches("[A-Za-z0-9._@-]+")) {
            problems.add("'username' must be a user name without spaces");
        }
        PinnedHostKeys hostKeys = null;
        String hostKey = access.setting(HOST_KEY);
        if (hostKey == null) {
            problems.add("'hostKey' is required (the server's public host key, e.g. the content of "
                    + "/etc/ssh/ssh_host_ed25519_key.pub or its known_hosts line; it is pinned, never learned)");
        } else {
            try {
                hostKeys = PinnedHostKeys.parse(hostKey);
            } catch (IllegalArgumentException e) {
                problems.add("'hostKey': " + e.getMessage());
            }
        }
        String privateKey = access.secret(PRIVATE_KEY);
        String passphrase = access.secret(PASSPHRASE);
        if (privateKey == null) {
            problems.add("'privateKey' is required (an OpenSSH or PEM private key whose public key is in the "
                    + "user's authorized_keys)");
        } else {
            keyProblem(privateKey, passphrase, decrypt).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(SshTarget.TYPE, problems);
        }
        return new SshCredential(access.credentialId(), host, port, username, hostKeys, privateKey, passphrase);
    }

    /** Why the key cannot be used, if it cannot: never quotes it. */
    private static Optional<String> keyProblem(String privateKey, String passphrase, boolean decrypt) {
        KeyPair pair;
        try {
            pair = KeyPair.load(new JSch(), privateKey.getBytes(StandardCharsets.US_ASCII), null);
        } catch (JSchException | RuntimeException e) {
            return Optional.of("'privateKey' is not a private key in OpenSSH or PEM form");
        }
        try {
            if (pair.isEncrypted()) {
                if (passphrase == null) {
                    return Optional.of("'privateKey' is encrypted: 'passphrase' is required");
                }
                if (decrypt && !pair.decrypt(passphrase.getBytes(StandardCharsets.UTF_8))) {
                    return Optional.of("'passphrase' does not decrypt 'privateKey'");
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("'privateKey' cannot be decrypted");
        } finally {
            pair.dispose();
        }
    }

    /** {@code host:port}, {@code [v6]:port} for an IPv6 address. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code user@host:port}, for messages. */
    public String describe() {
        return username + "@" + address();
    }

    @Override
    public String toString() {
        return "SshCredential[credentialId=" + credentialId + ", " + describe() + ", hostKeys=" + hostKeys
                + ", privateKey=<redacted>, passphrase=" + (passphrase == null ? "none" : "<redacted>") + "]";
    }
}
