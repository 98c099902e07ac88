package io.certflow.deployment.target.ssh;

import com.jcraft.jsch.HostKeyRepository;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinnedHostKeysTest {

    private static final String ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAINfk1T2Td7veAVFXgxoRNUrhhspyxhz+RM0BNa0MEurK";
    private static final String ECDSA = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBC4c5qlWsIXj1hr6yAclFyqAnpCHHM5I0PMoxjOxGv7vex2Ac00XfCLbON/MrtEuHfJ6fGb5YSGZsxUnGVtDeYw=";
    private static final String OTHER_ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIAmoJ5g+7Zm0A2gWnOgX7Hw4KbsL7wfWzKvguuUflMBj";

    @Test
    void readsAnOpenSshPublicKeyWithItsFingerprint() {
        PinnedHostKeys keys = PinnedHostKeys.parse("ssh-ed25519 " + ED25519 + " root@web1\n");

        assertThat(keys.keys()).singleElement().satisfies(key -> {
            assertThat(key.type()).isEqualTo("ssh-ed25519");
            // what ssh-keygen -lf prints for it
            assertThat(key.fingerprint()).isEqualTo("SHA256:F64ay0W/aymUPsq9jQ8My4J27XnBLCUHUNPeuLOGvuU");
        });
        assertThat(keys.algorithms()).isEqualTo("ssh-ed25519");
    }

    @Test
    void readsKnownHostsLinesPlainAndHashedAndSeveralKeys() {
        PinnedHostKeys keys = PinnedHostKeys.parse("""
                # ssh-keyscan -p 2222 web1.example.com
                [web1.example.com]:2222 ecdsa-sha2-nistp256 %s
                |1|jJkeitTesKmuse0aCy54B2ZtiyM=|V0bqVuv1QzCV1dvQ7DTZnmvewAo= ssh-ed25519 %s
                """.formatted(ECDSA, ED25519));

        assertThat(keys.keys()).extracting(PinnedHostKeys.Key::type).containsExactly("ecdsa-sha2-nistp256", "ssh-ed25519");
        assertThat(keys.algorithms()).isEqualTo("ecdsa-sha2-nistp256,ssh-ed25519");
    }

    @Test
    void anRsaKeyIsVerifiedWithSha2SignaturesOnly() {
        String rsaBlob = Base64.getEncoder().encodeToString(blob("ssh-rsa"));

        assertThat(PinnedHostKeys.parse("ssh-rsa " + rsaBlob).algorithms()).isEqualTo("rsa-sha2-512,rsa-sha2-256");
    }

    @Test
    void theVerifierAcceptsOnlyThePinnedKeyAndNeverLearnsOne() {
        PinnedHostKeys keys = PinnedHostKeys.parse("ssh-ed25519 " + ED25519);
        PinnedHostKeys.Verifier verifier = keys.verifier();

        assertThat(verifier.check("[127.0.0.1]:2222", Base64.getDecoder().decode(ED25519))).isEqualTo(HostKeyRepository.OK);
        assertThat(verifier.check("[127.0.0.1]:2222", Base64.getDecoder().decode(OTHER_ED25519)))
                .isEqualTo(HostKeyRepository.CHANGED);
        assertThat(verifier.presented()).startsWith("ssh-ed25519 SHA256:");
        assertThat(verifier.check("[127.0.0.1]:2222", Base64.getDecoder().decode(ECDSA)))
                .isEqualTo(HostKeyRepository.NOT_INCLUDED);
        verifier.add(null, null);
        assertThat(verifier.getHostKey()).hasSize(1);
    }

    @Test
    void refusesWhatIsNotAPinnableKey() {
        assertThatThrownBy(() -> PinnedHostKeys.parse(" \n# only a comment\n")).hasMessage("no host key given");
        assertThatThrownBy(() -> PinnedHostKeys.parse("web1.example.com"))
                .hasMessageContaining("not a known_hosts line nor an OpenSSH public key");
        assertThatThrownBy(() -> PinnedHostKeys.parse("@cert-authority *.example.com ssh-ed25519 " + ED25519))
                .hasMessageContaining("@cert-authority are not supported");
        assertThatThrownBy(() -> PinnedHostKeys.parse("ssh-ed25519 not!base64"))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> PinnedHostKeys.parse("ssh-ed25519 " + ECDSA))
                .hasMessageContaining("not an ssh-ed25519 key");
        assertThatThrownBy(() -> PinnedHostKeys.parse("ssh-ed25519 " + ED25519 + "\nssh-dss AAAAB3NzaC1kc3M="))
                .hasMessageContaining("line 2: host key type ssh-dss is not supported");
    }

    /** A blob that starts like a key of {@code type}. */
    private static byte[] blob(String type) {
        byte[] name = type.getBytes();
        byte[] blob = new byte[4 + name.length + 8];
        blob[3] = (byte) name.length;
        System.arraycopy(name, 0, blob, 4, name.length);
        return blob;
    }
}
