package dev.accordion.cli;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people read them: milliseconds when short, seconds with one decimal otherwise. */
final class Durations {

    private Durations() {
    }

    /** A number with a unit: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    private static final Pattern GIVEN = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

    /** A duration the user typed for {@code option}; a usage error names the forms it takes. */
    static Duration parse(String option, String given) {
        Duration duration = zeroOrMore(option, given);
        if (duration.isZero()) {
            throw new AccordionException(ErrorCode.USAGE, option + " must be more than zero, not \"" + given + "\"");
        }
        return duration;
    }

    /** {@link #parse}, where zero means something (a single look, no waiting). */
    static Duration zeroOrMore(String option, String given) {
        Matcher m = GIVEN.matcher(given.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new AccordionException(ErrorCode.USAGE, option + " takes a duration such as 500ms, 5s, 1.5s, 2m or 1h, not \"" + given + "\"");
        }
        double number = Double.parseDouble(m.group(1));
        long millisPerUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m", "min" -> 60_000;
            default -> 3_600_000;
        };
        return Duration.ofMillis(Math.round(number * millisPerUnit));
    }

    static String readable(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
