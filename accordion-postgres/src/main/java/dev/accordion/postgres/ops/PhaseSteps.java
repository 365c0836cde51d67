package dev.accordion.postgres.ops;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.Phase;
import dev.accordion.plan.SqlStep;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps one phase collects, each given a stable id: {@code <phase>/<scope>/<key>}, where the
 * scope names the operation ({@code 2-drop_table}) or a migration-wide part ({@code views}).
 */
public final class PhaseSteps {

    private final Phase phase;
    private final List<Step> steps = new ArrayList<>();
    private final List<Step> afterNames = new ArrayList<>();
    private String scope = "migration";

    public PhaseSteps(Phase phase) {
        this.phase = phase;
    }

    public Phase phase() {
        return phase;
    }

    public PhaseSteps scope(String newScope) {
        this.scope = newScope;
        return this;
    }

    public String scope() {
        return scope;
    }

    public StepId id(String key) {
        return new StepId(phase.label() + "/" + scope + "/" + key);
    }

    public void inTransaction(String key, String summary, List<LockClaim> locks, String... sql) {
        steps.add(new SqlStep(id(key), summary, true, locks, List.of(sql)));
    }

    public void alone(String key, String summary, List<LockClaim> locks, String sql) {
        steps.add(new SqlStep(id(key), summary, false, locks, List.of(sql)));
    }

    public void add(Step step) {
        steps.add(step);
    }

    /** Replaces steps planned earlier, part of whose work a migration-wide part now does; an empty one is left out. */
    public void replace(Map<StepId, Optional<Step>> replacements) {
        List<Step> replaced = new ArrayList<>();
        for (Step step : steps) {
            replacements.getOrDefault(step.id(), Optional.of(step)).ifPresent(replaced::add);
        }
        steps.clear();
        steps.addAll(replaced);
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /**
     * A step of complete that must run once every table and column has its final name ({@link NameSettling}), such as
     * a CHECK whose user expression names the columns a shadow column only gets then.
     */
    public void inTransactionAfterNames(String key, String summary, List<LockClaim> locks, String... sql) {
        afterNames.add(new SqlStep(id(key), summary, true, locks, List.of(sql)));
    }

    public List<Step> stepsAfterNames() {
        return List.copyOf(afterNames);
    }
}
