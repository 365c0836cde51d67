package dev.accordion.execute;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How DDL waits for locks: each attempt waits at most {@code lockTimeout}, then backs off
 * exponentially with full jitter, until {@code deadline} has passed since the step's first attempt.
 */
public record RetryPolicy(Duration lockTimeout, Duration deadline, Duration initialBackoff, Duration maxBackoff) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(500), Duration.ofMinutes(5),
            Duration.ofMillis(100), Duration.ofSeconds(10));

    public RetryPolicy withLockTimeout(Duration timeout) {
        return new RetryPolicy(timeout, deadline, initialBackoff, maxBackoff);
    }

    public RetryPolicy withDeadline(Duration newDeadline) {
        return new RetryPolicy(lockTimeout, newDeadline, initialBackoff, maxBackoff);
    }

    /** The pause before attempt {@code attempt + 1}; jitter spreads runners and keeps them off the lock queue. */
    public Duration backoff(int attempt) {
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        long half = Math.max(1, cap / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
