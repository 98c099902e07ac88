package io.certflow.platform.maintenance;

import io.certflow.events.v1.MaintenanceWindow;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where work may start under an account's maintenance windows: outside at once, inside at the end of the chain. */
class MaintenanceScheduleTest {

    // 2025-05-02 is a Friday
    private static final MaintenanceWindow FRIDAY_NIGHT = new MaintenanceWindow(List.of(DayOfWeek.FRIDAY),
            LocalTime.of(22, 0), LocalTime.of(2, 0), "UTC");
    private static final MaintenanceWindow SATURDAY_MORNING = new MaintenanceWindow(List.of(DayOfWeek.SATURDAY),
            LocalTime.of(2, 0), LocalTime.of(6, 0), "UTC");

    @Test
    void outsideEveryWindowWorkStartsWhenPlanned() {
        Instant noon = Instant.parse("2025-05-02T12:00:00Z");

        MaintenanceSchedule.Outcome outcome = new MaintenanceSchedule(List.of(FRIDAY_NIGHT)).firstAllowed(noon);

        assertThat(outcome.at()).isEqualTo(noon);
        assertThat(outcome.moved()).isFalse();
        assertThat(outcome.reason()).isNull();
        assertThat(MaintenanceSchedule.NONE.firstAllowed(noon).at()).isEqualTo(noon);
    }

    @Test
    void insideAWindowOverMidnightAndTheOneRightAfterIt_workStartsAtTheEndOfBoth() {
        Instant saturdayNight = Instant.parse("2025-05-03T00:30:00Z");

        MaintenanceSchedule.Outcome outcome = new MaintenanceSchedule(List.of(FRIDAY_NIGHT, SATURDAY_MORNING))
                .firstAllowed(saturdayNight);

        assertThat(outcome.at()).isEqualTo(Instant.parse("2025-05-03T06:00:00Z"));
        assertThat(outcome.window()).isEqualTo(SATURDAY_MORNING);
        assertThat(outcome.reason()).isEqualTo("inside the maintenance window Sat 02:00–06:00 UTC: starts at 2025-05-03T06:00:00Z");
    }

    @Test
    void theEndIsExclusiveAndTheZoneIsTheWindows() {
        MaintenanceWindow berlin = new MaintenanceWindow(List.of(DayOfWeek.FRIDAY), LocalTime.of(8, 0),
                LocalTime.of(10, 0), "Europe/Berlin");

        assertThat(MaintenanceSchedule.blockedUntil(berlin, Instant.parse("2025-05-02T06:00:00Z")))
                .as("08:00 in Berlin (CEST)").isEqualTo(Instant.parse("2025-05-02T08:00:00Z"));
        assertThat(MaintenanceSchedule.blockedUntil(berlin, Instant.parse("2025-05-02T08:00:00Z"))).isNull();
        assertThat(MaintenanceSchedule.blockedUntil(berlin, Instant.parse("2025-05-02T05:59:59Z"))).isNull();
    }
}
