package dev.accordion.cli;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them: milliseconds when short, seconds with one decimal otherwise. */
final class Durations {

    private Durations() {
    }

    static String readable(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
