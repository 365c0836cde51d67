package dev.accordion.execute;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether another process has asked a running phase to stop (a rollback asked for while start runs). The executor
 * asks before every step, before every backfill batch (also while a backfill waits paused or throttled) and before
 * every lock retry: at those points nothing is half done, so stopping there leaves the phase as a crash would.
 */
@FunctionalInterface
public interface StopSignal {

    StopSignal NONE = probe -> Optional.empty();

    /** Who asked the phase to stop and why, in words that finish "stopped: …"; read on the runner's second connection. */
    Optional<String> stopRequested(Connection probe) throws SQLException;
}
