package dev.accordion.plan;

import java.util.stream.Collectors;

/** The plan as people read it ({@code accordion plan}), also the format of golden plan files. */
public final class PlanText {

    private PlanText() {
    }

    public static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("migration ").append(plan.migration())
                .append(": version schema ").append(plan.newVersionSchema())
                .append(plan.oldVersionSchema() == null ? " (first version)" : " replaces " + plan.oldVersionSchema())
                .append('\n');
        for (Phase phase : Phase.values()) {
            out.append('\n').append(phase.label()).append(":\n");
            if (plan.steps(phase).isEmpty()) {
                out.append("  (nothing to do)\n");
            }
            int number = 1;
            for (Step step : plan.steps(phase)) {
                out.append("  ").append(number++).append(". ").append(step.summary()).append('\n');
                out.append("     id: ").append(step.id()).append('\n');
                out.append("     ").append(step.transactional() ? "in one transaction" : "outside a transaction").append('\n');
                out.append("     locks: ").append(step.locks().isEmpty() ? "no table locks"
                        : step.locks().stream().map(LockClaim::toString).collect(Collectors.joining(", "))).append('\n');
                for (String sql : step.plannedSql()) {
                    // A planned step may describe SQL it can only write when it runs, as an SQL comment.
                    String terminator = sql.startsWith("--") ? "\n" : ";\n";
                    out.append("       ").append(sql.replace("\n", "\n       ")).append(terminator);
                }
            }
        }
        return out.toString();
    }
}
