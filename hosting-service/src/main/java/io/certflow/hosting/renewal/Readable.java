package io.certflow.hosting.renewal;

import java.time.Duration;

/** Durations as people read them in reasons: {@code 32 h}, {@code 5 h 12 min}, {@code 90 s}. */
public final class Readable {

    private Readable() {
    }

    /** {@code d} in days, hours and minutes (seconds only below a minute). */
    public static String duration(Duration d) {
        if (d.toMinutes() == 0) {
            return d.toSeconds() + " s";
        }
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append(" d");
        }
        if (hours > 0) {
            text.append(text.isEmpty() ? "" : " ").append(hours).append(" h");
        }
        if (minutes > 0) {
            text.append(text.isEmpty() ? "" : " ").append(minutes).append(" min");
        }
        return text.toString();
    }
}
