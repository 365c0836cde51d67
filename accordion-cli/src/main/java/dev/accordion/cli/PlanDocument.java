package dev.accordion.cli;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Plan;
import dev.accordion.plan.Step;
import dev.accordion.spi.IndexUse;
import java.util.Arrays;
import java.util.List;

/** {@code accordion plan --output json}: phases in the order they run, each with its steps. */
record PlanDocument(String migration, String oldVersionSchema, String newVersionSchema, List<PhaseSteps> phases,
                    List<DroppedIndexDocument> droppedIndexes) {

    record PhaseSteps(String phase, List<StepDocument> steps) {
    }

    /** {@code locks} read like {@code ACCESS EXCLUSIVE on "public"."users"}. */
    record StepDocument(String id, String summary, boolean transactional, List<String> locks, List<String> sql) {
    }

    static PlanDocument of(Plan plan) {
        return of(plan, List.of());
    }

    static PlanDocument of(Plan plan, List<IndexUse> droppedIndexes) {
        List<PhaseSteps> phases = Arrays.stream(Phase.values())
                .map(phase -> new PhaseSteps(phase.label(), plan.steps(phase).stream().map(PlanDocument::stepOf).toList()))
                .toList();
        return new PlanDocument(plan.migration(), plan.oldVersionSchema(), plan.newVersionSchema(), phases,
                droppedIndexes.stream().map(DroppedIndexDocument::of).toList());
    }

    private static StepDocument stepOf(Step step) {
        return new StepDocument(step.id().value(), step.summary(), step.transactional(),
                step.locks().stream().map(LockClaim::toString).toList(), step.plannedSql());
    }
}
