package io.certflow.deployment.persistence;

import io.certflow.events.v1.DeploymentCompleted;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aRerunIsANewJobWithItsOwnIdTimeAndOutcome_andOnlyAFinishedJobIsRunAgain() {
        DeploymentJob job = new DeploymentJob("job-1", task, "ab01", JobTrigger.SUBMIT, clock.instant());
        job.claim(clock.instant(), Duration.ofMinutes(1));
        assertThatThrownBy(() -> job.rerun("job-2", task, clock.instant())).isInstanceOf(IllegalStateException.class);
        job.fail("nginx down", clock.instant());

        DeploymentJob rerun = job.rerun("job-2", task, clock.instant().plusSeconds(60));
        rerun.claim(clock.instant().plusSeconds(61), Duration.ofMinutes(1));
        rerun.finish(List.of(new ResourceResult("r1", "web-1", "nginx", ResourceResult.SUCCEEDED, "ab01", "ok", ResourceResult.DEPLOYED, 1)), "deployed",
                clock.instant().plusSeconds(62));

        assertThat(rerun.getId()).isEqualTo("job-2");
        assertThat(rerun.getRerunOf()).isEqualTo("job-1");
        assertThat(rerun.getSequence()).isEqualTo(job.getSequence() + 1).isEqualTo(2);
        assertThat(rerun.getCreatedAt()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(rerun.getTrigger()).isEqualTo(JobTrigger.SUBMIT);
        assertThat(rerun.getSerialNumber()).isEqualTo("ab01");
        assertThat(job.getStatus()).as("the first run keeps its outcome").isEqualTo(JobStatus.FAILED);
        DeploymentCompleted first = (DeploymentCompleted) job.pendingEvents().get(0).event();
        DeploymentCompleted second = (DeploymentCompleted) rerun.pendingEvents().get(0).event();
        assertThat(second.jobId()).isEqualTo("job-2").isNotEqualTo(first.jobId());
        assertThat(second.eventId()).isNotEqualTo(first.eventId());
        assertThat(second.succeeded()).isTrue();
    }

    @Test
    void aHeldJobWaitsUntilItsTime_andIsReleasedWhenTheWindowGoes() {
        DeploymentJob job = new DeploymentJob("job-1", task, "ab01", JobTrigger.RENEWAL, clock.instant());
        Instant windowEnd = clock.instant().plusSeconds(3600);

        job.holdUntil(windowEnd, "inside the maintenance window");

        assertThat(job.getNotBefore()).isEqualTo(windowEnd);
        assertThat(job.getNextAttemptAt()).isEqualTo(windowEnd);
        assertThat(job.getNotBeforeReason()).isEqualTo("inside the maintenance window");
        assertThat(job.isHeld(clock.instant())).isTrue();
        job.holdUntil(clock.instant().plusSeconds(600), "a shorter window");
        assertThat(job.getNextAttemptAt()).as("a new, shorter hold replaces the old").isEqualTo(clock.instant().plusSeconds(600));

        job.release(clock.instant().plusSeconds(1));

        assertThat(job.isHeld(clock.instant().plusSeconds(1))).isFalse();
        assertThat(job.getNextAttemptAt()).isEqualTo(clock.instant().plusSeconds(1));
        assertThat(job.getNotBeforeReason()).isNull();
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
