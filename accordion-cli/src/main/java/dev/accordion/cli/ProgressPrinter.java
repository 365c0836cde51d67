package dev.accordion.cli;

import dev.accordion.execute.ExecutionListener;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Step;
import dev.accordion.spi.BlockingSession;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Prints a phase's progress on stderr, one line per event, so that it reads well in a terminal and in a CI log alike. */
final class ProgressPrinter implements ExecutionListener {

    /** Fast steps finishing are not worth a line; slow ones are, so people see where the time went. */
    private static final Duration WORTH_REPORTING = Duration.ofSeconds(1);

    private final PrintWriter err;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void phaseStarted(String migration, Phase phase, int steps, int alreadyFinished) {
        err.println(phase.label() + " " + migration + ": " + steps + (steps == 1 ? " step" : " steps")
                + (alreadyFinished > 0 ? ", " + alreadyFinished + " already done by an earlier run; continuing" : ""));
    }

    @Override
    public void stepStarted(Step step, int number, int of) {
        err.println("  [" + number + "/" + of + "] " + step.summary());
    }

    @Override
    public void stepSkipped(Step step, int number, int of) {
        err.println("  [" + number + "/" + of + "] already done: " + step.summary());
    }

    @Override
    public void stepFinished(Step step, Duration took) {
        if (took.compareTo(WORTH_REPORTING) >= 0) {
            err.println("        took " + Durations.readable(took));
        }
    }

    @Override
    public void lockRetry(Step step, int attempt, Duration pause, List<BlockingSession> blockers) {
        err.println("        lock busy (attempt " + attempt + "); letting the application's queries through, retrying in "
                + Durations.readable(pause) + (blockers.isEmpty() ? "" : "; waiting for:"));
        Instant now = Instant.now();
        for (BlockingSession blocker : blockers) {
            err.println("          " + blocker.describe(now));
        }
    }

    @Override
    public void phaseFinished(String migration, Phase phase, Duration took) {
        err.println(phase.label() + " " + migration + ": done in " + Durations.readable(took));
    }
}
