package dev.accordion.plan;

import java.util.List;

/** A step that runs fixed statements. */
public record SqlStep(StepId id, String summary, boolean transactional, List<LockClaim> locks, List<String> plannedSql,
                      boolean survivesRollback) implements Step {

    public SqlStep {
        locks = List.copyOf(locks);
        plannedSql = List.copyOf(plannedSql);
    }

    public SqlStep(StepId id, String summary, boolean transactional, List<LockClaim> locks, List<String> plannedSql) {
        this(id, summary, transactional, locks, plannedSql, false);
    }
}
