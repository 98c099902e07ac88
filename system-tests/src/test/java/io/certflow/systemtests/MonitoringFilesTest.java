package io.certflow.systemtests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Prometheus configuration and alert rules of {@code deploy/prometheus} are valid for Prometheus itself
 * ({@code promtool}, Debian package {@code prometheus}; skipped where it is not installed), and the metric names the
 * alerts and the dashboard read are found in their expressions. That every one of them is really served is checked
 * against the running platform by {@link CertificateLifecycleIT}.
 */
class MonitoringFilesTest {

    private static final String PROMTOOL = "/usr/bin/promtool";

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        assertThat(promtool("check", "rules", MonitoringFiles.ALERTS.toString())).contains("SUCCESS: 8 rules found");
    }

    /**
     * promtool's unit tests ({@code src/test/resources/alerts-test.yml}): each alert fires on the series it is about
     * and stays quiet otherwise. They run against a copy of the rules without annotations, which promtool would
     * compare word for word; {@link #promtoolAcceptsTheAlertRules} checks the annotations' templates.
     */
    @Test
    void eachAlertFiresOnWhatItIsAbout_andOnlyThen(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("alerts.yml"), MonitoringFiles.alertRulesWithoutAnnotations());
        try (InputStream tests = getClass().getResourceAsStream("/alerts-test.yml")) {
            Files.copy(Objects.requireNonNull(tests), directory.resolve("alerts-test.yml"));
        }

        assertThat(promtool("test", "rules", directory.resolve("alerts-test.yml").toString())).contains("SUCCESS");
    }

    @Test
    void promtoolAcceptsTheScrapeConfiguration_withItsRules() throws Exception {
        assertThat(promtool("check", "config", MonitoringFiles.PROMETHEUS.toString())).contains("SUCCESS");
    }

    @Test
    void theMetricNamesOfAnExpressionAreFound_notItsFunctionsLabelsOrRanges() {
        assertThat(MonitoringFiles.metricNames("max by (service) (kafka_consumer_fetch_manager_records_lag_max) > 100"
                + " and max by (service) (deriv(kafka_consumer_fetch_manager_records_lag_max[10m])) > 0"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max");
        assertThat(MonitoringFiles.metricNames("sum by (topic) (increase(certflow_events_dead_letters_total{topic=~\"a|b\"}"
                + "[$__rate_interval])) or up == 0 or 1e3 > jvm_memory_used_bytes{area=\"heap\"}"))
                .containsExactly("certflow_events_dead_letters_total", "jvm_memory_used_bytes", "up");
    }

    @Test
    void theAlertsAndTheDashboardReadTheMetricsTheyAreAbout() throws Exception {
        Set<String> alerts = new TreeSet<>();
        MonitoringFiles.alertExpressions().forEach(e -> alerts.addAll(MonitoringFiles.metricNames(e)));
        Set<String> dashboard = new TreeSet<>();
        MonitoringFiles.dashboardExpressions().forEach(e -> dashboard.addAll(MonitoringFiles.metricNames(e)));

        assertThat(alerts).contains("certflow_hosting_days_to_expiry", "certflow_hosting_renewals_failed_total",
                "certflow_deployment_jobs_finished_total", "certflow_dead_letters_waiting",
                "kafka_consumer_fetch_manager_records_lag_max");
        assertThat(dashboard).contains("certflow_hosting_certificates", "certflow_hosting_days_to_expiry",
                "certflow_hosting_renewals_started_total", "certflow_hosting_renewals_failed_total",
                "certflow_deployment_jobs_finished_total", "certflow_events_published_total",
                "certflow_events_consumed_total", "certflow_events_dead_letters_total", "certflow_dead_letters_waiting",
                "kafka_consumer_fetch_manager_records_lag_max", "resilience4j_circuitbreaker_state",
                "jvm_memory_used_bytes");
    }

    private static String promtool(String... arguments) throws Exception {
        assumeTrue(new File(PROMTOOL).canExecute(),
                "promtool is not installed (Debian package prometheus): the rules are not checked by Prometheus here");
        String[] command = new String[arguments.length + 1];
        command[0] = PROMTOOL;
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
