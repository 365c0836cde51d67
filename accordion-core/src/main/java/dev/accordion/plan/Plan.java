package dev.accordion.plan;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every step of every phase of one migration, in the order they run. */
public record Plan(String migration, String oldVersionSchema, String newVersionSchema, Map<Phase, List<Step>> phases) {

    public Plan {
        EnumMap<Phase, List<Step>> copy = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            copy.put(phase, List.copyOf(phases.getOrDefault(phase, List.of())));
        }
        phases = Map.copyOf(copy);
    }

    public List<Step> steps(Phase phase) {
        return phases.get(phase);
    }
}
