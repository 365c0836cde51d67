package dev.accordion;

import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import dev.accordion.spi.StateStore;
import dev.accordion.sql.Identifier;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Pausing and resuming a schema's backfills from any process: the pause is a row in the state schema that a running
 * backfill reads between batches, so neither side needs to reach the other, and a runner started (or restarted)
 * while it stands waits before its first batch. A pause belongs to the active migration and ends with it.
 */
public final class BackfillControl {

    private final StateStore state;
    private final Identifier schema;

    BackfillControl(StateStore state, Identifier schema) {
        this.state = state;
        this.schema = schema;
    }

    /**
     * What a pause did: on which migration, whether it only replaced the reason of a pause already set, and whether the
     * migration's start is still under way (once it has finished, no backfill is left for the pause to hold back).
     */
    public record Paused(String migration, boolean wasPaused, boolean startUnderWay) {
    }

    Paused pause(Optional<String> reason) {
        MigrationRecord active = state.isInitialized() ? state.active(schema).orElse(null) : null;
        if (active == null) {
            throw new AccordionException(ErrorCode.STATE_CONFLICT, "there is no active migration on schema \"" + schema
                    + "\", so there is no backfill to pause. \"accordion status\" shows the history; pause once \"accordion start <file>\" runs.");
        }
        boolean wasPaused = board().setPause(reason.filter(r -> !r.isBlank()), whoAmI());
        return new Paused(active.name(), wasPaused, active.status() == MigrationStatus.STARTING);
    }

    /** Removes the pause; answers the pause removed, empty when none stood (not an error: the wish is met). */
    Optional<BackfillPause> resume() {
        return state.isInitialized() ? board().clearPause() : Optional.empty();
    }

    /** At the end of a migration: its pause, if one was left, must not hold back the next one's backfills. */
    void migrationEnded() {
        board().clearPause();
    }

    private BackfillBoard board() {
        if (!state.isCurrent()) {
            state.init();
        }
        return state.backfillBoard(schema);
    }

    /** Host and process id; the store adds the connection's application name. */
    private static String whoAmI() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
