package dev.accordion;

import java.time.Duration;

/**
 * The checks complete makes before it contracts: that every row agrees between the two versions ({@code checkRows}), and
 * that no session uses the old version schema during a watch ({@code checkUse}, for {@code Builder.clientWatch});
 * while one does, complete watches again until {@code waitForClients} has passed, then refuses.
 */
public record CompleteOptions(boolean checkRows, boolean checkUse, Duration waitForClients) {

    /** Every check, refusing at the first watch that sees a client. */
    public static final CompleteOptions SAFE = new CompleteOptions(true, true, Duration.ZERO);
    /** No check: the old side goes as it is, whoever still uses it. */
    public static final CompleteOptions FORCE = new CompleteOptions(false, false, Duration.ZERO);

    public CompleteOptions {
        if (waitForClients.isNegative()) {
            throw new IllegalArgumentException("the wait for clients must not be negative: " + waitForClients);
        }
    }

    public CompleteOptions waitingForClients(Duration wait) {
        return new CompleteOptions(checkRows, checkUse, wait);
    }

    CompleteOptions withoutClientWatch() {
        return new CompleteOptions(checkRows, false, waitForClients);
    }
}
