package dev.accordion.cli;

import dev.accordion.execute.ExecutionListener;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Step;
import dev.accordion.spi.BlockingSession;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Prints a phase's progress on stderr, one line per event, so that it reads well in a terminal and in a CI log alike.
 * A backfill reports after every batch; it gets a line at most every {@link #BACKFILL_LINE_EVERY}, and one at its end.
 */
final class ProgressPrinter implements ExecutionListener {

    /** Fast steps finishing are not worth a line; slow ones are, so people see where the time went. */
    private static final Duration WORTH_REPORTING = Duration.ofSeconds(1);
    static final Duration BACKFILL_LINE_EVERY = Duration.ofSeconds(2);

    private final PrintWriter err;
    private final LongSupplier nanoTime;
    /** The backfill of the running step: when its last line was printed, and what its last batch reported. */
    private long lastLineAt;
    private BackfillReport latest;

    ProgressPrinter(PrintWriter err) {
        this(err, System::nanoTime);
    }

    /** {@code nanoTime} is the clock that throttles backfill lines (tests pass a fake one). */
    ProgressPrinter(PrintWriter err, LongSupplier nanoTime) {
        this.err = err;
        this.nanoTime = nanoTime;
    }

    private record BackfillReport(long rowsDone, long estimatedTotal, double rowsPerSecond) {
    }

    @Override
    public void phaseStarted(String migration, Phase phase, int steps, int alreadyFinished) {
        err.println(phase.label() + " " + migration + ": " + steps + (steps == 1 ? " step" : " steps")
                + (alreadyFinished > 0 ? ", " + alreadyFinished + " already done by an earlier run; continuing" : ""));
    }

    @Override
    public void stepStarted(Step step, int number, int of) {
        err.println("  [" + number + "/" + of + "] " + step.summary());
        lastLineAt = nanoTime.getAsLong();
        latest = null;
    }

    @Override
    public void stepSkipped(Step step, int number, int of) {
        err.println("  [" + number + "/" + of + "] already done: " + step.summary());
    }

    @Override
    public void stepFinished(Step step, Duration took) {
        if (latest != null) {
            err.println(String.format(Locale.ROOT, "        backfilled %,d rows at %,.0f rows/s", latest.rowsDone(), latest.rowsPerSecond()));
                latest = null;
        }
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
    public void stillWaiting(Step step, Duration waited, List<BlockingSession> blockers) {
        err.println("        waiting " + Durations.readable(waited) + " for these sessions to finish; the application's reads "
                + "and writes are not blocked meanwhile:");
        Instant now = Instant.now();
        for (BlockingSession blocker : blockers) {
            err.println("          " + blocker.describe(now));
        }
    }

    @Override
    public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
        latest = new BackfillReport(rowsDone, estimatedTotal, rowsPerSecond);
        long now = nanoTime.getAsLong();
        if (now - lastLineAt >= BACKFILL_LINE_EVERY.toNanos()) {
            err.println("        " + backfillLine(latest));
            lastLineAt = now;
        }
    }

    /** Rows done of the estimate, percent, rate and the time left at that rate. */
    static String backfillLine(long rowsDone, long estimatedTotal, double rowsPerSecond) {
        return backfillLine(new BackfillReport(rowsDone, estimatedTotal, rowsPerSecond));
    }

    private static String backfillLine(BackfillReport report) {
        long total = Math.max(report.estimatedTotal(), report.rowsDone());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "backfill: %,d of about %,d rows", report.rowsDone(), total));
        if (total > 0) {
            line.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, report.rowsDone() * 100 / total)));
        }
        line.append(String.format(Locale.ROOT, ", %,.0f rows/s", report.rowsPerSecond()));
        if (report.rowsPerSecond() > 0) {
            line.append(", about ").append(timeLeft(Math.round((total - report.rowsDone()) / report.rowsPerSecond()))).append(" left");
        }
        return line.toString();
    }

    private static String timeLeft(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    @Override
    public void phaseFinished(String migration, Phase phase, Duration took) {
        err.println(phase.label() + " " + migration + ": done in " + Durations.readable(took));
    }
}
