package io.certflow.deployment.target.haproxy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SslCertCommandsTest {

    private static final Path PEM = Path.of("/etc/haproxy/certs/site.pem");
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0IGtleSBieXRlcw==\n-----END PRIVATE KEY-----\n";

    @Test
    void setSendsThePemAsAPayloadEndedByOneEmptyLine() {
        String command = SslCertCommands.set(PEM, "-----BEGIN CERTIFICATE-----\r\nQUJD\r\n\r\n-----END CERTIFICATE-----\n" + KEY);

        assertThat(command).isEqualTo("set ssl cert /etc/haproxy/certs/site.pem <<\n"
                + "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n" + KEY + "\n");
        assertThat(command.indexOf("\n\n")).isEqualTo(command.length() - 2);
    }

    @Test
    void commitAndAbortNameTheCertificate() {
        assertThat(SslCertCommands.commit(PEM)).isEqualTo("commit ssl cert /etc/haproxy/certs/site.pem\n");
        assertThat(SslCertCommands.abort(PEM)).isEqualTo("abort ssl cert /etc/haproxy/certs/site.pem\n");
    }

    @Test
    void aCreatedOrUpdatedTransactionIsAcceptedAnythingElseIsNot() {
        assertThat(SslCertCommands.readSet("Transaction created for certificate /etc/haproxy/certs/site.pem!\n\n"))
                .isEqualTo(new SslCertCommands.Answer(true, "Transaction created for certificate /etc/haproxy/certs/site.pem!"));
        assertThat(SslCertCommands.readSet("Transaction updated for certificate /etc/haproxy/certs/site.pem!\n").accepted())
                .isTrue();

        SslCertCommands.Answer refused = SslCertCommands.readSet(
                "unable to load certificate file '/etc/haproxy/certs/site.pem'.\n"
                + "inconsistencies between private key and certificate loaded '/etc/haproxy/certs/site.pem'.\n\n");
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.message()).isEqualTo("unable to load certificate file '/etc/haproxy/certs/site.pem'. "
                + "inconsistencies between private key and certificate loaded '/etc/haproxy/certs/site.pem'.");

        assertThat(SslCertCommands.readSet("Permission denied\n").accepted()).isFalse();
        assertThat(SslCertCommands.readSet("")).isEqualTo(new SslCertCommands.Answer(false, "HAProxy gave no answer"));
        assertThat(SslCertCommands.readSet(null).accepted()).isFalse();
    }

    @Test
    void aCommitIsAcceptedOnlyWithSuccess() {
        assertThat(SslCertCommands.readCommit("Committing /etc/haproxy/certs/site.pem.\nSuccess!\n\n").accepted()).isTrue();
        assertThat(SslCertCommands.readCommit("Committing /etc/haproxy/certs/site.pem...\nSuccess!\n").accepted()).isTrue();

        SslCertCommands.Answer failed = SslCertCommands.readCommit(
                "Committing /etc/haproxy/certs/site.pem\nFailed!\nunable to load the certificate\n");
        assertThat(failed.accepted()).isFalse();
        assertThat(failed.message()).contains("Failed!").contains("unable to load the certificate");
        // HAProxy 2.6's answer to a key that does not match the certificate
        SslCertCommands.Answer mismatch = SslCertCommands.readCommit("inconsistencies between private key and "
                + "certificate loaded '/etc/haproxy/certs/site.pem'.\nCan't commit /etc/haproxy/certs/site.pem!\n");
        assertThat(mismatch.accepted()).isFalse();
        assertThat(mismatch.message()).isEqualTo("inconsistencies between private key and certificate loaded "
                + "'/etc/haproxy/certs/site.pem'. Can't commit /etc/haproxy/certs/site.pem!");
        assertThat(SslCertCommands.readCommit("No ongoing transaction!\n").accepted()).isFalse();
        assertThat(SslCertCommands.readCommit("Committing x\nSuccess!\nFailed!\n").accepted()).isFalse();
        assertThat(SslCertCommands.readCommit("").accepted()).isFalse();
    }

    @Test
    void answersNeverCarryAPemBlockAndStayShort() {
        SslCertCommands.Answer echoed = SslCertCommands.readSet("Error: cannot parse\n" + KEY + "trailing\n");

        assertThat(echoed.accepted()).isFalse();
        assertThat(echoed.message()).isEqualTo("Error: cannot parse <pem removed> trailing")
                .doesNotContain("c2VjcmV0");
        assertThat(SslCertCommands.readSet("x".repeat(2000)).message()).hasSize(501);
        // an unterminated block is cut to the end too
        assertThat(SslCertCommands.readSet("oops -----BEGIN PRIVATE KEY-----\nc2VjcmV0\n").message())
                .isEqualTo("oops <pem removed>");
    }
}
