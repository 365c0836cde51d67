package dev.accordion.execute;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a backfill waits between batches: the throttles it asks, how often it reads a pause while paused, and how its
 * wait on a throttle backs off.
 *
 * @param pausePoll how often a paused backfill reads the pause again. A second: a resume is noticed at once for a
 *                  person, and one indexed read a second costs the server nothing
 * @param firstBackoff the first wait when a throttle says wait: short, since a lock waiter is often gone in a moment
 * @param longestBackoff the longest wait between two questions: lag takes seconds to recover, and waiting longer
 *                       than this would leave the server idle after it recovered
 * @param abortAfter     how long a throttle that tells of degradation ({@link Throttle#tellsOfDegradation}: the probe
 *                       query, replication lag) may hold the backfill back without a break before the start gives up
 *                       and is rolled back; empty to wait as long as it takes
 */
public record BackfillThrottling(List<Throttle> throttles, Duration pausePoll, Duration firstBackoff, Duration longestBackoff,
                                 Optional<Duration> abortAfter) {

    public static final BackfillThrottling NONE = new BackfillThrottling(List.of(), Duration.ofSeconds(1),
            Duration.ofMillis(100), Duration.ofSeconds(5));

    public BackfillThrottling(List<Throttle> throttles, Duration pausePoll, Duration firstBackoff, Duration longestBackoff) {
        this(throttles, pausePoll, firstBackoff, longestBackoff, Optional.empty());
    }

    public BackfillThrottling {
        throttles = List.copyOf(throttles);
        if (abortAfter.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
            throw new IllegalArgumentException("the abort limit must be positive, not " + abortAfter.get());
        }
        for (Duration d : List.of(pausePoll, firstBackoff, longestBackoff)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("backfill waits must be positive, not " + d);
            }
        }
    }

    public BackfillThrottling withThrottles(List<Throttle> list) {
        return new BackfillThrottling(list, pausePoll, firstBackoff, longestBackoff, abortAfter);
    }

    public BackfillThrottling abortingAfter(Duration limit) {
        return new BackfillThrottling(throttles, pausePoll, firstBackoff, longestBackoff, Optional.of(limit));
    }

    /** The next wait after {@code previous}: doubled, up to {@link #longestBackoff()}. */
    Duration backoffAfter(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(longestBackoff) > 0 ? longestBackoff : doubled;
    }
}
