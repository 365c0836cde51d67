package dev.accordion;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link Accordion#migrate} that applied some of the pending migrations and then failed on one: the failure of that
 * migration (its code, hint and message, and it as the cause) after what had been applied before it, so that no one
 * reads "nothing was changed" of the run as a whole.
 */
public final class MigrateStoppedException extends AccordionException {

    private final List<PhaseResult> applied;
    private final String stoppedAt;

    MigrateStoppedException(List<PhaseResult> applied, String stoppedAt, AccordionException failure) {
        super(failure.code(), "migrate applied " + describe(applied) + " before it stopped at migration \"" + stoppedAt
                + "\"; those stay applied, and running migrate again goes on from \"" + stoppedAt + "\". What stopped it:\n"
                + failure.getMessage(), failure.hint().orElse(null), failure);
        this.applied = List.copyOf(applied);
        this.stoppedAt = stoppedAt;
    }

    /** The phases that ran before the failure, in order. */
    public List<PhaseResult> applied() {
        return applied;
    }

    /** The migration that failed. */
    public String stoppedAt() {
        return stoppedAt;
    }

    /** The failure of {@link #stoppedAt()}. */
    public AccordionException failure() {
        return (AccordionException) getCause();
    }

    private static String describe(List<PhaseResult> applied) {
        return applied.stream().map(result -> "\"" + result.migration() + "\" (" + switch (result.phase()) {
            case START -> "started";
            case COMPLETE -> "complete";
            case ROLLBACK -> "rolled back";
        } + ")").collect(Collectors.joining(", "));
    }
}
