package io.certflow.events.v1;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Hours of the week in which an account wants no renewal and no automatic deployment to start, such as
 * "Saturday and Sunday, 02:00 to 06:00 Europe/Berlin". A window whose end is not after its start runs over
 * midnight (22:00 to 02:00 holds the two hours after midnight of the following day too).
 *
 * <p>A value type of the contract, carried by {@link MaintenanceWindowsChanged} and kept as it is by the
 * services that hold work back (hosting-service, deployment-service); where a start may happen under a set
 * of windows is computed in one place, the platform's {@code MaintenanceSchedule}. Built leniently, so that a
 * request can be checked and every problem named ({@link #problems()}); an event refuses a window with a
 * problem.
 *
 * @param days     the days on which the window starts
 * @param start    local start time (inclusive)
 * @param end      local end time (exclusive); at or before {@code start}: the next day
 * @param timeZone IANA time zone of {@code start} and {@code end}, such as {@code Europe/Berlin}
 */
public record MaintenanceWindow(List<DayOfWeek> days, LocalTime start, LocalTime end, String timeZone) {

    public MaintenanceWindow {
        days = days == null ? List.of() : days.stream().filter(Objects::nonNull).distinct().sorted().toList();
    }

    /** What is wrong with this window, for people; empty when it is fine. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (days.isEmpty()) {
            problems.add("days: name at least one day (MONDAY … SUNDAY)");
        }
        if (start == null) {
            problems.add("start: required, as HH:mm");
        }
        if (end == null) {
            problems.add("end: required, as HH:mm");
        }
        if (start != null && start.equals(end)) {
            problems.add("end: must differ from start (a window of a whole day is 00:00 to 23:59)");
        }
        if (timeZone == null || timeZone.isBlank()) {
            problems.add("timeZone: required, an IANA name such as Europe/Berlin or UTC");
        } else {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                problems.add("timeZone: '" + timeZone + "' is not an IANA time zone");
            }
        }
        return problems;
    }

    /** Whether the window ends on the day after it starts. */
    public boolean overMidnight() {
        return !end.isAfter(start);
    }

    /** For people: {@code Sat, Sun 02:00–06:00 Europe/Berlin}. */
    public String describe() {
        String names = days.size() == 7 ? "every day"
                : days.stream().map(d -> d.name().charAt(0) + d.name().substring(1, 3).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        return names + " " + start + "–" + end + " " + timeZone;
    }
}
