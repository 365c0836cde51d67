package dev.accordion.bench.traffic;

import java.time.Duration;
import java.util.List;

/**
 * What one client saw during one phase: statements run, the errors among them (each with its SQLSTATE and message,
 * the first few kept), and latency percentiles.
 */
public record PhaseReport(String client, String phase, int statements, int errors, List<String> firstErrors, Duration p50,
                          Duration p99, Duration max) {

    public PhaseReport {
        firstErrors = List.copyOf(firstErrors);
    }
}
