package dev.accordion.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rounds of a run and what they add up to: per measurement the median Accordion time, the median plain time,
 * and the median of the rounds' ratios (each round compares two runs made moments apart, so its ratio is steadier
 * than the ratio of two medians taken over different rounds).
 */
public final class BenchReport {

    private final List<Map<Measurement, Timing>> rounds = new ArrayList<>();

    /** Adds one round; every round measures everything. */
    public void add(Map<Measurement, Timing> round) {
        if (!round.keySet().containsAll(List.of(Measurement.values()))) {
            throw new IllegalArgumentException("a round measures " + List.of(Measurement.values()) + ", not only " + round.keySet());
        }
        rounds.add(new EnumMap<>(round));
    }

    public int rounds() {
        return rounds.size();
    }

    public Duration medianAccordion(Measurement measurement) {
        return Medians.ofDurations(timings(measurement).stream().map(Timing::accordion).toList());
    }

    public Duration medianPlain(Measurement measurement) {
        return Medians.ofDurations(timings(measurement).stream().map(Timing::plain).toList());
    }

    public double ratio(Measurement measurement) {
        return Medians.of(ratios(measurement));
    }

    public boolean meetsTarget(Measurement measurement) {
        return ratio(measurement) >= measurement.target();
    }

    /** The table: one line per measurement, then each round's ratios. */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%-24s %11s %11s %7s %8s%n", "measurement", "accordion", "plain", "ratio", "target");
        for (Measurement m : Measurement.values()) {
            out.printf(Locale.ROOT, "%-24s %11s %11s %7.2f %8s  %s%n", m.label(), seconds(medianAccordion(m)),
                    seconds(medianPlain(m)), ratio(m), String.format(Locale.ROOT, ">= %.2f", m.target()),
                    meetsTarget(m) ? "met" : "MISSED");
        }
        out.println();
        out.println("times: median of " + rounds() + " round" + (rounds() == 1 ? "" : "s")
                + "; ratio: median of the rounds' plain/accordion (1.0 = as fast as plain PostgreSQL)");
        for (Measurement m : Measurement.values()) {
            out.printf(Locale.ROOT, "  %-24s rounds: %s%n", m.label(),
                    String.join(" ", ratios(m).stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()));
        }
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }

    private List<Timing> timings(Measurement measurement) {
        if (rounds.isEmpty()) {
            throw new IllegalStateException("no round was measured");
        }
        return rounds.stream().map(r -> r.get(measurement)).toList();
    }

    private List<Double> ratios(Measurement measurement) {
        return timings(measurement).stream().map(Timing::ratio).toList();
    }
}
