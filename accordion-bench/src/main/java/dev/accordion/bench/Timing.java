package dev.accordion.bench;

import java.time.Duration;

/** One measurement in one round: how long Accordion took and how long plain PostgreSQL took for the same work. */
public record Timing(Duration accordion, Duration plain) {

    public Timing {
        if (accordion.isNegative() || accordion.isZero() || plain.isNegative() || plain.isZero()) {
            throw new IllegalArgumentException("a timing must be positive on both sides, not " + accordion + " and " + plain);
        }
    }

    /**
     * Throughput relative to plain PostgreSQL: the same work in {@code plain} instead of {@code accordion} time, so
     * 1.0 is as fast, 0.5 half as fast (twice the time), above 1.0 faster.
     */
    public double ratio() {
        return (double) plain.toNanos() / accordion.toNanos();
    }
}
