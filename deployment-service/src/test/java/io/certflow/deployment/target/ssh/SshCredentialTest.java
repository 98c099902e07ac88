package io.certflow.deployment.target.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshCredentialTest {

    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINfk1T2Td7veAVFXgxoRNUrhhspyxhz+RM0BNa0MEurK";
    private static final String PASSPHRASE = "s3cret-passphrase";

    private static String plainPem;
    private static String encryptedPem;

    @BeforeAll
    static void keys() throws Exception {
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        plainPem = pem(pair, null);
        encryptedPem = pem(pair, PASSPHRASE);
        pair.dispose();
    }

    @Test
    void readsACredentialAndNeverPrintsItsSecrets() {
        SshCredential credential = SshCredential.check(access(Map.of("host", "web1.example.com", "username", "deploy",
                "hostKey", HOST_KEY), Map.of("privateKey", encryptedPem, "passphrase", PASSPHRASE)));

        assertThat(credential.port()).isEqualTo(22);
        assertThat(credential.describe()).isEqualTo("deploy@web1.example.com:22");
        assertThat(credential.hostKeys().keys()).hasSize(1);
        assertThat(credential.toString()).contains("privateKey=<redacted>", "passphrase=<redacted>")
                .doesNotContain(PASSPHRASE).doesNotContain("PRIVATE KEY");
        assertThat(SshCredential.check(access(Map.of("host", "[::1]", "port", "2222", "username", "deploy",
                "hostKey", HOST_KEY), Map.of("privateKey", plainPem))).address()).isEqualTo("[::1]:2222");
    }

    @Test
    void namesEveryProblemAtOnceWithoutQuotingASecret() {
        String notAKey = "my-very-secret-not-a-key";

        assertThatThrownBy(() -> SshCredential.check(access(Map.of("host", "web 1", "port", "70000",
                "hostKey", "web1.example.com", "region", "x"), Map.of("privateKey", notAKey, "token", "t0ken"))))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "unknown setting 'region' (known: host, port, username, hostKey)",
                            "unknown secret 'token' (known: privateKey, passphrase)",
                            "'host' must be a host name or an IP address",
                            "'port' must be 1-65535",
                            "'username' is required (the account certflow logs in as)",
                            "'hostKey': not a known_hosts line nor an OpenSSH public key (expected e.g. 'ssh-ed25519 "
                                    + "AAAA…' as in /etc/ssh/ssh_host_ed25519_key.pub)",
                            "'privateKey' is not a private key in OpenSSH or PEM form");
                    assertThat(e.getMessage()).doesNotContain(notAKey).doesNotContain("t0ken");
                });
    }

    @Test
    void anEncryptedKeyNeedsItsPassphrase() {
        Map<String, String> settings = Map.of("host", "web1", "username", "deploy", "hostKey", HOST_KEY);

        assertThatThrownBy(() -> SshCredential.check(access(settings, Map.of("privateKey", encryptedPem))))
                .hasMessageContaining("'privateKey' is encrypted: 'passphrase' is required");
        assertThatThrownBy(() -> SshCredential.check(access(settings,
                Map.of("privateKey", encryptedPem, "passphrase", "wrong-guess"))))
                .hasMessageContaining("'passphrase' does not decrypt 'privateKey'")
                .hasMessageNotContaining("wrong-guess");
        // reading a stored credential for a connection leaves the decryption to the login (done once)
        assertThat(SshCredential.from(access(settings, Map.of("privateKey", encryptedPem, "passphrase", "wrong-guess"))))
                .isNotNull();
    }

    private static TargetAccess access(Map<String, String> settings, Map<String, String> secrets) {
        return new TargetAccess("cred-1", settings, secrets);
    }

    private static String pem(KeyPair pair, String passphrase) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (passphrase == null) {
            pair.writePrivateKey(out);
        } else {
            pair.writePrivateKey(out, passphrase.getBytes(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
