package dev.accordion.plan;

/**
 * A step's name in the journal. Stable for a given migration and schema, so that a phase run again
 * after a crash skips exactly the steps that finished.
 */
public record StepId(String value) {
    @Override
    public String toString() {
        return value;
    }
}
