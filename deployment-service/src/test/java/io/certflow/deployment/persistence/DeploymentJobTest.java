package io.certflow.deployment.persistence;

import io.certflow.events.v1.DeploymentCompleted;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentJobTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
    private final DeploymentTask task = new DeploymentTask("task-1", "acct", "cert-1", List.of("r1", "r2"), clock.instant());

    @Test
    void aJobStartsPendingAndIsClaimedWithALease() {
        DeploymentJob job = new DeploymentJob("job-1", task, "ab01", JobTrigger.SUBMIT, clock.instant());
        assertThat(job.getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(job.getAccountId()).isEqualTo("acct");

        job.claim(clock.instant(), Duration.ofMinutes(10));

        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.getLeaseUntil()).isEqualTo(Instant.parse("2026-01-01T10:10:00Z"));
        assertThat(job.getRuns()).isEqualTo(1);
    }

    @Test
    void finishingRaisesDeploymentCompletedWithEveryResult() {
        DeploymentJob job = new DeploymentJob("job-1", task, "ab01", JobTrigger.RENEWAL, clock.instant());
        job.claim(clock.instant(), Duration.ofMinutes(10));

        job.finish(List.of(
                new ResourceResult("r1", "one", "nginx", ResourceResult.SUCCEEDED, "ab01", "serves ab01", ResourceResult.DEPLOYED, 1),
                new ResourceResult("r2", "two", "nginx", ResourceResult.FAILED, "99", "restored 99", ResourceResult.ROLLED_BACK, 1)), "1 of 2", clock.instant());

        assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(job.pendingEvents()).singleElement().satisfies(message -> {
            DeploymentCompleted event = (DeploymentCompleted) message.event();
            assertThat(event.succeeded()).isFalse();
            assertThat(event.jobId()).isEqualTo("job-1");
            assertThat(event.taskId()).isEqualTo("task-1");
            assertThat(event.trigger()).isEqualTo("RENEWAL");
            assertThat(event.certificateId()).isEqualTo("cert-1");
            assertThat(event.results()).extracting(DeploymentCompleted.ResourceResult::status)
                    .containsExactly("SUCCEEDED", "FAILED");
            assertThat(event.results()).extracting(DeploymentCompleted.ResourceResult::outcome)
                    .containsExactly("DEPLOYED", "ROLLED_BACK");
            assertThat(event.occurredAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void succeedsOnlyWhenEveryResourceSucceeded() {
        DeploymentJob job = new DeploymentJob("job-1", task, "ab01", JobTrigger.SUBMIT, clock.instant());
        job.finish(List.of(new ResourceResult("r1", "one", "nginx", ResourceResult.SUCCEEDED, "ab01", "ok", ResourceResult.DEPLOYED, 1)), "ok", clock.instant());
        assertThat(job.getStatus()).isEqualTo(JobStatus.SUCCEEDED);

        DeploymentJob empty = new DeploymentJob("job-2", task, "ab01", JobTrigger.SUBMIT, clock.instant());
        empty.fail("bundle not available", clock.instant());
        assertThat(empty.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(empty.getMessage()).isEqualTo("bundle not available");
    }

    @Test
    void aFinishedJobCanBeRunAgainAndARunningOneIsLeftAlone() {
        DeploymentJob job = new DeploymentJob("job-1", task, "ab01", JobTrigger.SUBMIT, clock.instant());
        job.claim(clock.instant(), Duration.ofMinutes(1));
        job.rearm(clock.instant());
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);

        job.fail("nginx down", clock.instant());
        job.rearm(clock.instant().plusSeconds(60));

        assertThat(job.getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(job.getResults()).isEmpty();
        assertThat(job.getNextAttemptAt()).isEqualTo(clock.instant().plusSeconds(60));
    }

    @Test
    void theTaskRemembersItsFirstSuccessAndStopsInheritingWhenCancelled() {
        DeploymentTask t = new DeploymentTask("t", "acct", "cert-1", List.of("r1"), clock.instant());
        assertThat(t.inheritsRenewals()).isFalse();

        t.recordSuccess("aa", clock.instant());
        t.recordSuccess("bb", clock.instant().plusSeconds(5));

        assertThat(t.inheritsRenewals()).isTrue();
        assertThat(t.getFirstSucceededSerialNumber()).isEqualTo("aa");
        t.stopInheriting("order o-1 was cancelled");
        assertThat(t.inheritsRenewals()).isFalse();
        assertThat(t.getStoppedReason()).contains("o-1");
    }
}
