package dev.accordion.postgres.testing;

import dev.accordion.plan.StepId;
import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.BackfillProgress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** A board that hands every call to another, for a test to override the calls it watches or breaks. */
public class ForwardingBackfillBoard implements BackfillBoard {

    private final BackfillBoard real;

    public ForwardingBackfillBoard(BackfillBoard real) {
        this.real = real;
    }

    @Override
    public Optional<BackfillPause> pause(Connection connection) throws SQLException {
        return real.pause(connection);
    }

    @Override
    public Optional<BackfillPause> pause() {
        return real.pause();
    }

    @Override
    public boolean setPause(Optional<String> reason, String pausedBy) {
        return real.setPause(reason, pausedBy);
    }

    @Override
    public Optional<BackfillPause> clearPause() {
        return real.clearPause();
    }

    @Override
    public void saveProgress(Connection connection, BackfillProgress progress) throws SQLException {
        real.saveProgress(connection, progress);
    }

    @Override
    public void clearProgress(Connection connection, String migration, StepId step) throws SQLException {
        real.clearProgress(connection, migration, step);
    }

    @Override
    public List<BackfillProgress> progress(String migration) {
        return real.progress(migration);
    }
}
