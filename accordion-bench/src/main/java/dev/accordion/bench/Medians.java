package dev.accordion.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Medians of a few rounds: the middle value, or the mean of the two middle ones for an even count. */
public final class Medians {

    private Medians() {
    }

    public static double of(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    public static Duration ofDurations(Collection<Duration> durations) {
        if (durations.isEmpty()) {
            throw new IllegalArgumentException("the median of no durations");
        }
        List<Duration> sorted = new ArrayList<>(durations);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }
}
