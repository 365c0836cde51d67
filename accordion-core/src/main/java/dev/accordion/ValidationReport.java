package dev.accordion;

import java.util.List;

/** The outcome of validating a migration: every problem found, or none. */
public record ValidationReport(String migration, List<String> problems) {

    public boolean isValid() {
        return problems.isEmpty();
    }
}
