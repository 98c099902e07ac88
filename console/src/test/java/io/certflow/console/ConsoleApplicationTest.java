package io.certflow.console;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The console starts without a store: none of platform's store plumbing is there, and its health is UP; its API is documented. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.kafka.bootstrap-servers=127.0.0.1:1", "spring.kafka.admin.auto-create=false"})
class ConsoleApplicationTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    TestRestTemplate http;

    @Test
    void startsWithoutAStore() {
        assertThat(context.getBeanNamesForType(io.certflow.platform.outbox.OutboxRelay.class)).isEmpty();
        assertThat(http.getForEntity("/actuator/health", String.class).getBody()).contains("\"UP\"");
    }

    @Test
    void documentsItsOwnApi_notTheGateway() {
        String docs = http.getForEntity("/v3/api-docs", String.class).getBody();

        assertThat(docs).contains("\"/timeline/certificates/{certificateId}\"", "\"/ops/api/overview\"",
                "\"/ops/api/dead-letters/{topic}/records/{partition}/{offset}/replay\"").doesNotContain("/svc/");
        assertThat(http.getForEntity("/swagger-ui.html", String.class).getStatusCode().is3xxRedirection()
                || http.getForEntity("/swagger-ui/index.html", String.class).getStatusCode().is2xxSuccessful()).isTrue();
    }
}
