package io.certflow.issuance.ca.acme;

import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaRateLimitedException;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.CaUserActionRequiredException;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;
import org.shredzone.acme4j.toolbox.JSON;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AcmeErrorsTest {

    @Test
    void networkServerInternalAndBadNonceAreTransient() throws Exception {
        assertThat(AcmeErrors.translate("x", new AcmeNetworkException(new IOException("refused"))))
                .isInstanceOf(CaTransientException.class);
        assertThat(AcmeErrors.translate("x", new AcmeServerException(problem("serverInternal", "oops"))))
                .isInstanceOf(CaTransientException.class)
                .satisfies(e -> assertThat(e.problemType()).isEqualTo("urn:ietf:params:acme:error:serverInternal"));
        assertThat(AcmeErrors.translate("x", new AcmeServerException(problem("badNonce", "stale"))))
                .isInstanceOf(CaTransientException.class);
        assertThat(AcmeErrors.translate("x", new AcmeException("HTTP 503"))).isInstanceOf(CaTransientException.class);
    }

    @Test
    void aRateLimitIsTransientWithItsRetryAfter() throws Exception {
        Instant retryAfter = Instant.parse("2030-01-01T00:00:00Z");
        CaException e = AcmeErrors.translate("x",
                new AcmeRateLimitedException(problem("rateLimited", "too many"), retryAfter, List.of()));

        assertThat(e).isInstanceOf(CaRateLimitedException.class);
        assertThat(((CaTransientException) e).retryAfter()).contains(retryAfter);
    }

    @Test
    void problemsTheWorldCanFixAreRetryableRefusals() throws Exception {
        for (String type : List.of("dns", "caa", "connection", "unauthorized", "incorrectResponse")) {
            CaException e = AcmeErrors.translate("x", new AcmeServerException(problem(type, "no")));
            assertThat(e).isInstanceOf(CaRefusedException.class);
            assertThat(((CaRefusedException) e).retryable()).as(type).isTrue();
        }
    }

    @Test
    void malformedRequestsAndRejectedNamesAreFinal() throws Exception {
        for (String type : List.of("malformed", "rejectedIdentifier", "badCSR", "unsupportedIdentifier")) {
            CaRefusedException e = (CaRefusedException) AcmeErrors.translate("x", new AcmeServerException(problem(type, "never")));
            assertThat(e.retryable()).as(type).isFalse();
            assertThat(e.problemType()).isEqualTo("urn:ietf:params:acme:error:" + type);
            assertThat(e.detail()).isEqualTo("never");
        }
        assertThat(AcmeErrors.translate("x", new AcmeException("HTTP 404"))).isInstanceOf(CaRefusedException.class);
    }

    @Test
    void newTermsOfServiceNeedAPerson() throws Exception {
        CaException e = AcmeErrors.translate("x", new AcmeUserActionRequiredException(
                problem("userActionRequired", "agree"), URI.create("https://ca.test/tos")));

        assertThat(e).isInstanceOf(CaUserActionRequiredException.class);
        assertThat(((CaRefusedException) e).retryable()).isFalse();
    }

    @Test
    void lazyLoadingFailuresAreUnwrapped() throws Exception {
        AcmeLazyLoadingException lazy = new AcmeLazyLoadingException(org.shredzone.acme4j.Order.class,
                new URL("https://ca.test/order/1"), new AcmeNetworkException(new IOException("reset")));

        assertThat(AcmeErrors.translate("x", lazy)).isInstanceOf(CaTransientException.class);
    }

    @Test
    void subProblemsNameTheirIdentifiers() throws Exception {
        Problem compound = new Problem(JSON.parse("""
                {"type":"urn:ietf:params:acme:error:compound","detail":"several",
                 "subproblems":[{"type":"urn:ietf:params:acme:error:caa","detail":"CAA forbids",
                                 "identifier":{"type":"dns","value":"a.test"}}]}"""), new URL("https://ca.test/"));

        assertThat(AcmeErrors.problem(compound).detail()).contains("a.test: caa CAA forbids");
    }

    private static Problem problem(String type, String detail) throws Exception {
        return new Problem(JSON.parse("{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\"" + detail + "\"}"),
                new URL("https://ca.test/acme"));
    }
}
