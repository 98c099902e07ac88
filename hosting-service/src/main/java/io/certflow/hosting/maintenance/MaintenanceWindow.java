package io.certflow.hosting.maintenance;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Hours of the week in which an account does not want renewals to start, such as "Saturday and Sunday,
 * 02:00 to 06:00 Europe/Berlin". A window whose end is not after its start runs over midnight (22:00 to
 * 02:00 blocks the two hours after midnight of the following day too).
 *
 * @param days     the days on which the window starts
 * @param start    local start time (inclusive)
 * @param end      local end time (exclusive); at or before {@code start}: the next day
 * @param timeZone IANA time zone of {@code start} and {@code end}, such as {@code Europe/Berlin}
 */
public record MaintenanceWindow(List<DayOfWeek> days, LocalTime start, LocalTime end, String timeZone) {

    public MaintenanceWindow {
        days = days == null ? List.of() : days.stream().filter(java.util.Objects::nonNull).distinct().sorted().toList();
    }

    /**
     * What is wrong with this window, for people; empty when it is fine.
     */
    public List<String> problems() {
        List<String> problems = new java.util.ArrayList<>();
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

    /**
     * The end of the occurrence of this window that covers {@code at}, or null when {@code at} lies outside
     * every occurrence.
     */
    public Instant blockedUntil(Instant at) {
        ZoneId zone = ZoneId.of(timeZone);
        ZonedDateTime local = at.atZone(zone);
        // an occurrence that started today, or yesterday and runs over midnight, may cover it
        for (int daysBack = 0; daysBack <= 1; daysBack++) {
            ZonedDateTime day = local.minusDays(daysBack);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime from = day.toLocalDate().atTime(start).atZone(zone);
            ZonedDateTime to = day.toLocalDate().plusDays(end.isAfter(start) ? 0 : 1).atTime(end).atZone(zone);
            if (!local.isBefore(from) && local.isBefore(to)) {
                return to.toInstant();
            }
        }
        return null;
    }

    /** For people: {@code SATURDAY, SUNDAY 02:00–06:00 Europe/Berlin}. */
    public String describe() {
        String names = days.size() == 7 ? "every day"
                : days.stream().map(d -> d.name().charAt(0) + d.name().substring(1, 3).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        return names + " " + start + "–" + end + " " + timeZone;
    }
}
