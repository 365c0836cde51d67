package dev.accordion.spi;

import dev.accordion.plan.StepId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/** The finished steps of one phase of one migration. */
public interface Journal {

    Set<StepId> finished();

    /** Records a step as finished, on the connection that ran it, so it commits with the step's own transaction. */
    void record(Connection connection, StepId step) throws SQLException;
}
