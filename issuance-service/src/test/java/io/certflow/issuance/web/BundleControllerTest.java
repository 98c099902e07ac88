package io.certflow.issuance.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The caller name written to the audit log: what a service says it is, and nothing that could forge a log line. */
class BundleControllerTest {

    @Test
    void theAuditNamesTheCallerOrUnknown_andNeverRepeatsWhatCouldForgeALine() {
        assertThat(BundleController.callerName("deployment-service")).isEqualTo("deployment-service");
        assertThat(BundleController.callerName(" deployment-service ")).isEqualTo("deployment-service");
        assertThat(BundleController.callerName(null)).isEqualTo("unknown");
        assertThat(BundleController.callerName("")).isEqualTo("unknown");
        assertThat(BundleController.callerName("x\nprivate key read: caller=admin")).isEqualTo("invalid");
        assertThat(BundleController.callerName("a".repeat(65))).isEqualTo("invalid");
    }

    @Test
    void serialsAreNormalized() {
        assertThat(BundleController.normalizeSerial("00:AB:0c")).isEqualTo("ab0c");
    }
}
