package dev.accordion.spi;

import dev.accordion.plan.StepId;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What a running backfill last told the state schema, for {@code accordion status} in another process: rows done of
 * about {@code estimatedTotal}, its rate in this run, whether it runs or waits and why. {@code reportedAgo} is how
 * long before the read it was written (measured by the database's clock, so clocks of machines do not matter); zero
 * when writing.
 */
public record BackfillProgress(String migration, StepId step, long rowsDone, long estimatedTotal, double rowsPerSecond,
                               State state, Optional<String> reason, Duration reportedAgo) {

    /** Whether the backfill works or waits; stored by {@link #label()}. */
    public enum State {
        RUNNING, THROTTLED, PAUSED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BackfillProgress in(State newState, Optional<String> why) {
        return new BackfillProgress(migration, step, rowsDone, estimatedTotal, rowsPerSecond, newState, why, reportedAgo);
    }

    /** Seconds left at the current rate; empty when it has no rate yet. */
    public Optional<Duration> timeLeft() {
        if (rowsPerSecond <= 0) {
            return Optional.empty();
        }
        long left = Math.max(0, Math.max(estimatedTotal, rowsDone) - rowsDone);
        return Optional.of(Duration.ofSeconds(Math.round(left / rowsPerSecond)));
    }
}
