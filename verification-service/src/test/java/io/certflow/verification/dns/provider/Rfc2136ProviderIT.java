package io.certflow.verification.dns.provider;

import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Automatic DNS over RFC 2136 with TSIG against a real BIND (devstack's, zone {@code demo.certflow.test.} with
 * a TSIG key allowed to update it): the zone is found by walking SOA records, TXT values are written and
 * removed in one update each, and a key the server does not accept changes nothing and says why.
 */
class Rfc2136ProviderIT {

    @TempDir
    static Path dir;
    private static Stack stack;
    private static BindProcess bind;

    @BeforeAll
    static void startBind() {
        stack = Stack.start(StackConfig.forTests(dir, EnumSet.of(Component.BIND)));
        bind = stack.bind();
    }

    @AfterAll
    static void stopBind() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void addsValuesBesideOnesAlreadyThereAndRemovesOnlyItsOwn() throws Exception {
        String name = "_acme-challenge.p" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test.";
        Rfc2136Provider provider = new Rfc2136Provider(settings(bind.tsigSecret()));
        bind.addTxt(name, "another-clients-digest");

        String zone = provider.addTxt(name, List.of("apex-digest", "wildcard-digest"));

        assertThat(zone).isEqualTo("demo.certflow.test.");
        assertThat(txt(name)).containsExactlyInAnyOrder("another-clients-digest", "apex-digest", "wildcard-digest");

        provider.addTxt(name, List.of("apex-digest"));
        assertThat(txt(name)).as("adding a value already there").hasSize(3);

        provider.removeTxt(name, List.of("apex-digest", "wildcard-digest"));
        assertThat(txt(name)).containsExactly("another-clients-digest");
        provider.removeTxt(name, List.of("apex-digest")); // nothing left to remove: no error
        assertThat(txt(name)).containsExactly("another-clients-digest");
        assertThat(provider.zoneOf(name)).contains("demo.certflow.test.");
        assertThat(provider.zoneOf("_acme-challenge.elsewhere.invalid.")).isEmpty();
    }

    @Test
    void aKeyTheServerDoesNotAcceptIsAFinalRefusalThatNamesTheKeyNeverTheSecretAndChangesNothing() throws Exception {
        String name = "_acme-challenge.w" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test.";
        String wrongSecret = randomSecret();
        Rfc2136Provider provider = new Rfc2136Provider(settings(wrongSecret));

        assertThatThrownBy(() -> provider.addTxt(name, List.of("digest")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("NOTAUTH").contains(BindProcess.TSIG_KEY_NAME)
                            .doesNotContain(wrongSecret).doesNotContain(bind.tsigSecret());
                });
        assertThat(txt(name)).isEmpty();
    }

    @Test
    void aServerThatDoesNotAnswerIsATransientFailure() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Rfc2136Provider provider = new Rfc2136Provider(new Rfc2136Settings(new InetSocketAddress("127.0.0.1", closed),
                BindProcess.TSIG_KEY_NAME, "hmac-sha256", bind.tsigSecret(), Duration.ofSeconds(1)));

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.x.demo.certflow.test.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> assertThat(e.transientFailure()).isTrue());
    }

    @Test
    void theZoneIsFoundByWalkingSoaRecordsFromTheApexAnExistingHostAndANameThatDoesNotExist() throws Exception {
        ZoneFinder finder = new ZoneFinder(new SimpleResolver(new InetSocketAddress("127.0.0.1", bind.port())));

        assertThat(finder.zoneOf("demo.certflow.test")).contains(Name.fromString("demo.certflow.test."));
        assertThat(finder.zoneOf("www.demo.certflow.test.")).as("NODATA").contains(Name.fromString("demo.certflow.test."));
        assertThat(finder.zoneOf("_acme-challenge.a.b.c.demo.certflow.test.")).as("NXDOMAIN")
                .contains(Name.fromString("demo.certflow.test."));
    }

    @Test
    void settingsRefuseWhatCannotWorkAndNeverPrintTheSecret() {
        String secret = bind.tsigSecret();
        Rfc2136Settings ok = settings(secret);
        assertThat(ok.toString()).contains(BindProcess.TSIG_KEY_NAME).doesNotContain(secret);
        assertThatThrownBy(() -> new Rfc2136Settings(ok.server(), "k.", "hmac-md5", secret, null))
                .hasMessageContaining("unsupported TSIG algorithm 'hmac-md5'");
        assertThatThrownBy(() -> new Rfc2136Settings(ok.server(), "k.", null, "not base64!", null))
                .hasMessageContaining("base64 of at least 16 bytes").hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> new Rfc2136Settings(ok.server(), " ", null, secret, null))
                .hasMessageContaining("key name is missing");
    }

    private static Rfc2136Settings settings(String secret) {
        return new Rfc2136Settings(new InetSocketAddress("127.0.0.1", bind.port()), BindProcess.TSIG_KEY_NAME,
                BindProcess.TSIG_ALGORITHM, secret, Duration.ofSeconds(5));
    }

    private static List<String> txt(String name) {
        return bind.query(name, Type.TXT).stream().filter(r -> r instanceof TXTRecord)
                .flatMap(r -> ((TXTRecord) r).getStrings().stream()).toList();
    }

    private static String randomSecret() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }
}
