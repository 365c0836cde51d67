package dev.accordion.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A pause of the backfills of one schema, set by {@code accordion backfill pause} from any process and kept in the
 * state schema, so that it outlives the runner: a backfill started while it stands waits before its first batch.
 *
 * @param pausedBy host, process id and application name of whoever paused, for people asking "who did this?"
 */
public record BackfillPause(Optional<String> reason, String pausedBy, Instant pausedAt) {

    /** One sentence for the user: who paused, since when, and why. */
    public String describe() {
        return "paused by " + pausedBy + " since " + pausedAt.truncatedTo(ChronoUnit.SECONDS) + ": "
                + reason.map(r -> "\"" + r + "\"").orElse("no reason given");
    }
}
