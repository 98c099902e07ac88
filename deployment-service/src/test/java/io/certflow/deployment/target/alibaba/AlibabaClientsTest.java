package io.certflow.deployment.target.alibaba;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaRetryableException;
import com.aliyun.tea.TeaUnretryableException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** How SDK failures become {@link AlibabaApiException}s: Alibaba's code, retryable or not, never the secret. */
class AlibabaClientsTest {

    private static final AlibabaAccount ACCOUNT = new AlibabaAccount("cred", "LTAI5tKey", "top-secret-value", "cn-hangzhou",
            "cn-hangzhou", null);

    private static AlibabaApiException failing(Exception thrown) {
        return catchThrowableOfType(() -> AlibabaClients.call(ACCOUNT, "CDN", "SetCdnDomainSSLCertificate", () -> {
            throw thrown;
        }), AlibabaApiException.class);
    }

    private static TeaException answer(int status, String code, String message) {
        return new TeaException(Map.of("code", code, "message", "code: " + status + ", " + message + " request id: R1",
                "data", Map.of("statusCode", status, "Code", code, "Message", message, "RequestId", "R1")));
    }

    @Test
    void refusalsKeepAlibabasCodeAndMessageAndAreFinal() {
        AlibabaApiException e = failing(answer(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."));

        assertThat(e.retryable()).isFalse();
        assertThat(e.code()).isEqualTo("InvalidAccessKeyId.NotFound");
        assertThat(e.notFound()).isTrue();
        assertThat(e).hasMessage("Alibaba Cloud CDN refused SetCdnDomainSSLCertificate: InvalidAccessKeyId.NotFound: "
                + "Specified access key is not found. (HTTP 404, request id R1)");
    }

    @Test
    void throttlingAndServerErrorsAreRetryable() {
        assertThat(failing(answer(400, "Throttling.User", "Request was denied due to user flow control.")).retryable()).isTrue();
        assertThat(failing(answer(503, "ServiceUnavailable", "The request has failed.")).retryable()).isTrue();
        assertThat(failing(answer(500, "InternalError", "oops")).retryable()).isTrue();
        assertThat(failing(answer(400, "Throttling", "busy")).retryable()).isTrue();
    }

    @Test
    void anUnreachableServiceIsRetryableAndNamesTheCause() {
        AlibabaApiException refused = failing(new TeaUnretryableException(new TeaRetryableException(
                new ConnectException("Connection refused"))));
        AlibabaApiException slow = failing(new TeaRetryableException(new SocketTimeoutException("timeout")));

        assertThat(refused.retryable()).isTrue();
        assertThat(refused).hasMessage("cannot reach Alibaba Cloud CDN for SetCdnDomainSSLCertificate: ConnectException "
                + "(Connection refused)");
        assertThat(slow.retryable()).isTrue();
        assertThat(slow.getMessage()).contains("SocketTimeoutException");
    }

    @Test
    void aSecretInAnAnswerIsRedacted() {
        AlibabaApiException e = failing(answer(400, "InvalidParameter", "bad value top-secret-value"));

        assertThat(e.getMessage()).doesNotContain("top-secret-value").contains("<redacted>");
        assertThat(ACCOUNT.toString()).doesNotContain("top-secret-value");
    }
}
