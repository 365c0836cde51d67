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
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * Prints a phase's progress on stderr, one line per event, so that it reads well in a terminal and in a CI log alike.
 * A backfill reports after every batch: on a terminal a one-line progress bar is redrawn in place (with {@code \r}, at
 * most every {@link #REDRAW_EVERY}), never as wide as the terminal, since a line that fills it wraps and every redraw
 * would then start a new line; elsewhere it gets a line at most every {@code interval}, and one at its end.
 * Pauses, throttling and continuing always get a line of their own.
 */
final class ProgressPrinter implements ExecutionListener {

    /** Fast steps finishing are not worth a line; slow ones are, so people see where the time went. */
    private static final Duration WORTH_REPORTING = Duration.ofSeconds(1);
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** Ten redraws a second look live; more only cost the terminal. */
    static final Duration REDRAW_EVERY = Duration.ofMillis(100);
    private static final int BAR_WIDTH = 20;
    private static final String INDENT = "        ";

    private final PrintWriter err;
    /** The terminal's width in columns; empty when stderr is not a terminal. */
    private final OptionalInt terminalColumns;
    private final Duration interval;
    private final LongSupplier nanoTime;
    /** The backfill of the running step: when its last line was printed, and what its last batch reported. */
    private long lastLineAt;
    private BackfillReport latest;
    /** When the running throttle wait last got a line; null while the backfill runs. */
    private Long throttleLineAt;
    /** The length of the bar on the terminal's current line; zero when that line is empty. */
    private int barShown;

    ProgressPrinter(PrintWriter err) {
        this(err, OptionalInt.empty(), DEFAULT_INTERVAL, System::nanoTime);
    }

    ProgressPrinter(PrintWriter err, OptionalInt terminalColumns, Duration interval) {
        this(err, terminalColumns, interval, System::nanoTime);
    }

    /**
     * {@code terminalColumns}: the width of the terminal stderr is, so the bar may be redrawn (the CLI asks
     * {@code System.console() != null}), or empty when it is none; {@code interval}: how often a line is printed
     * otherwise; {@code nanoTime}: the clock of both (tests pass a fake).
     */
    ProgressPrinter(PrintWriter err, OptionalInt terminalColumns, Duration interval, LongSupplier nanoTime) {
        this.err = err;
        this.terminalColumns = terminalColumns;
        this.interval = interval;
        this.nanoTime = nanoTime;
    }

    record BackfillReport(long rowsDone, long estimatedTotal, double rowsPerSecond) {

        /** The estimate, or the rows done once they pass it. */
        long total() {
            return Math.max(estimatedTotal, rowsDone);
        }
    }

    @Override
    public void phaseStarted(String migration, Phase phase, int steps, int alreadyFinished) {
        endBar();
        err.println(phase.label() + " " + migration + ": " + steps + (steps == 1 ? " step" : " steps")
                + (alreadyFinished > 0 ? ", " + alreadyFinished + " already done by an earlier run; continuing" : ""));
    }

    @Override
    public void stepStarted(Step step, int number, int of) {
        endBar();
        err.println("  [" + number + "/" + of + "] " + step.summary());
        lastLineAt = nanoTime.getAsLong();
        latest = null;
    }

    @Override
    public void stepSkipped(Step step, int number, int of) {
        endBar();
        err.println("  [" + number + "/" + of + "] already done: " + step.summary());
    }

    @Override
    public void stepFinished(Step step, Duration took) {
        if (latest != null && barShown > 0) {
            drawBar(latest);
        }
        endBar();
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
        endBar();
        err.println("        lock busy (attempt " + attempt + "); letting the application's queries through, retrying in "
                + Durations.readable(pause) + (blockers.isEmpty() ? "" : "; waiting for:"));
        Instant now = Instant.now();
        for (BlockingSession blocker : blockers) {
            err.println("          " + blocker.describe(now));
        }
    }

    @Override
    public void stillWaiting(Step step, Duration waited, List<BlockingSession> blockers) {
        endBar();
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
        boolean terminal = terminalColumns.isPresent();
        if (now - lastLineAt >= (terminal ? REDRAW_EVERY : interval).toNanos()) {
            if (terminal) {
                drawBar(latest);
            } else {
                err.println("        " + backfillLine(latest));
            }
            lastLineAt = now;
        }
    }

    @Override
    public void decided(String migration, String decision) {
        endBar();
        err.println(decision);
    }

    @Override
    public void clientsWatched(String migration, dev.accordion.ClientWatch watch, boolean watchingAgain) {
        endBar();
        err.println(ClientsText.watchLine(watch));
        watch.sessions().forEach(session -> err.println("  - " + session.describe(watch.looks())));
        if (watchingAgain) {
            err.println("  waiting for them to go (--wait-for-clients): watching again");
        }
    }

    @Override
    public void backfillPaused(Step step, String reason) {
        endBar();
        err.println("        backfill " + reason + "; waiting for \"accordion backfill resume\"");
    }

    /**
     * A throttle's reason carries its numbers (a lag, a probe's time), so it changes at almost every look: the first
     * reason gets a line at once, later ones at most every {@code interval}, like progress lines.
     */
    @Override
    public void backfillThrottled(Step step, String reason) {
        long now = nanoTime.getAsLong();
        if (throttleLineAt != null && now - throttleLineAt < interval.toNanos()) {
            return;
        }
        endBar();
        err.println("        backfill waiting: " + reason);
        throttleLineAt = now;
    }

    @Override
    public void backfillContinued(Step step, Duration waited) {
        throttleLineAt = null;
        endBar();
        err.println("        backfill continues after waiting " + Durations.readable(waited));
    }

    /** Redraws the bar over the current line, blanking what a longer earlier line left. */
    private void drawBar(BackfillReport report) {
        String bar = barLine(report, terminalColumns.getAsInt());
        err.print("\r" + bar + " ".repeat(Math.max(0, barShown - bar.length())));
        err.flush();
        barShown = bar.length();
    }

    /** Ends the bar's line, so the next line starts on a line of its own. */
    private void endBar() {
        if (barShown > 0) {
            err.println();
            barShown = 0;
        }
    }

    /**
     * The bar's line for a terminal of {@code columns}: at most {@code columns - 1} characters, as a line that reaches the
     * last column wraps on many terminals. What does not fit goes, in this order: the bar, the rate, the "about" of the time
     * left, the time left (the bar only repeats the percent, and the time left is what an operator waits on); a terminal
     * narrower still gets the counts cut short.
     */
    static String barLine(BackfillReport report, int columns) {
        int room = Math.max(1, columns - 1);
        String bar = INDENT + bar(report.rowsDone(), report.estimatedTotal()) + " ";
        String counts = counts(report);
        String timeLeft = timeLeft(report);
        String shortTimeLeft = timeLeft.replace(", about ", ", ");
        for (String line : List.of(bar + counts + rate(report) + timeLeft, INDENT + counts + rate(report) + timeLeft,
                INDENT + counts + timeLeft, INDENT + counts + shortTimeLeft, INDENT + counts)) {
            if (line.length() <= room) {
                return line;
            }
        }
        return counts.substring(0, Math.min(counts.length(), room));
    }

    /** {@code [=========>          ]}: the share of rows done of the estimate. */
    static String bar(long rowsDone, long estimatedTotal) {
        long total = Math.max(estimatedTotal, rowsDone);
        int filled = total == 0 ? 0 : (int) (rowsDone * BAR_WIDTH / total);
        return "[" + "=".repeat(filled) + (filled < BAR_WIDTH ? ">" + " ".repeat(BAR_WIDTH - filled - 1) : "") + "]";
    }

    /** Rows done of the estimate, percent, rate and the time left at that rate. */
    static String backfillLine(long rowsDone, long estimatedTotal, double rowsPerSecond) {
        return backfillLine(new BackfillReport(rowsDone, estimatedTotal, rowsPerSecond));
    }

    private static String backfillLine(BackfillReport report) {
        return counts(report) + rate(report) + timeLeft(report);
    }

    /** {@code backfill: 5,000 of about 10,000 rows (50%)}. */
    private static String counts(BackfillReport report) {
        long total = report.total();
        String counts = String.format(Locale.ROOT, "backfill: %,d of about %,d rows", report.rowsDone(), total);
        return total > 0 ? counts + String.format(Locale.ROOT, " (%d%%)", Math.min(100, report.rowsDone() * 100 / total)) : counts;
    }

    private static String rate(BackfillReport report) {
        return String.format(Locale.ROOT, ", %,.0f rows/s", report.rowsPerSecond());
    }

    /** {@code , about 2 s left}, or nothing before there is a rate to reckon with. */
    private static String timeLeft(BackfillReport report) {
        return report.rowsPerSecond() > 0
                ? ", about " + timeLeft(Math.round((report.total() - report.rowsDone()) / report.rowsPerSecond())) + " left" : "";
    }

    static String timeLeft(long seconds) {
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
        endBar();
        err.println(phase.label() + " " + migration + ": done in " + Durations.readable(took));
    }
}
