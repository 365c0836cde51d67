package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.SqlStep;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Backfill progress on stderr, as lines and as a terminal's bar: throttled by a fake clock, so no test sleeps. */
class BackfillProgressTest {

    private static final Step BACKFILL = new SqlStep(new StepId("start/backfill/users"), "backfill users.email_lower", false,
            List.of(new LockClaim(LockLevel.ROW_EXCLUSIVE, "\"public\".\"users\"")), List.of("UPDATE ..."));

    /** A terminal wide enough for the whole bar line. */
    private static final OptionalInt WIDE = OptionalInt.of(120);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final StringWriter err = new StringWriter();
    /** Not a terminal, a line at most every two seconds (--progress-interval 2). */
    private final ProgressPrinter progress = new ProgressPrinter(new PrintWriter(err, true), OptionalInt.empty(), Duration.ofSeconds(2), nanos::get);

    @Test
    void aLineAtMostEveryTwoSecondsAndOneAtTheEnd() {
        progress.stepStarted(BACKFILL, 1, 1);
        advance(200);
        progress.backfillProgress(BACKFILL, 1_000, 10_000, 5_000);   // 0.2 s in: too soon
        advance(1_000);
        progress.backfillProgress(BACKFILL, 5_000, 10_000, 5_000);   // 1.2 s: too soon
        advance(900);
        progress.backfillProgress(BACKFILL, 9_500, 10_000, 5_000);   // 2.1 s: a line
        advance(500);
        progress.backfillProgress(BACKFILL, 10_000, 10_000, 4_000);  // 0.5 s after it: too soon
        progress.stepFinished(BACKFILL, Duration.ofMillis(2_600));

        assertThat(lines()).containsExactly(
                "  [1/1] backfill users.email_lower",
                "        backfill: 9,500 of about 10,000 rows (95%), 5,000 rows/s, about 0 s left",
                "        backfilled 10,000 rows at 4,000 rows/s",
                "        took 2.6 s");
    }

    private void advance(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }

    @Test
    void aLongBackfillPrintsOneLineEveryTwoSeconds() {
        progress.stepStarted(BACKFILL, 1, 1);
        for (int batch = 1; batch <= 50; batch++) { // 200 ms each: ten seconds
            advance(200);
            progress.backfillProgress(BACKFILL, batch * 1_000L, 50_000, 5_000);
        }

        assertThat(lines()).hasSize(1 + 5).last().isEqualTo("        backfill: 50,000 of about 50,000 rows (100%), 5,000 rows/s, about 0 s left");
    }

    @Test
    void aBackfillFasterThanTwoSecondsGetsOnlyItsFinalLine() {
        progress.stepStarted(BACKFILL, 1, 1);
        progress.backfillProgress(BACKFILL, 700, 800, 35_000);
        progress.stepFinished(BACKFILL, Duration.ofMillis(20));

        assertThat(lines()).containsExactly("  [1/1] backfill users.email_lower", "        backfilled 700 rows at 35,000 rows/s");
    }

    @Test
    void stepsWithoutBackfillPrintNoBackfillLine() {
        progress.stepStarted(BACKFILL, 1, 2);
        progress.stepFinished(BACKFILL, Duration.ofMillis(20));

        assertThat(lines()).containsExactly("  [1/2] backfill users.email_lower");
    }

    @Test
    void theLineShowsPercentRateAndTimeLeft() {
        assertThat(ProgressPrinter.backfillLine(1_200_000, 10_000_000, 40_000))
                .isEqualTo("backfill: 1,200,000 of about 10,000,000 rows (12%), 40,000 rows/s, about 3 min 40 s left");
        assertThat(ProgressPrinter.backfillLine(0, 900_000_000, 50_000))
                .isEqualTo("backfill: 0 of about 900,000,000 rows (0%), 50,000 rows/s, about 5 h 0 min left");
        assertThat(ProgressPrinter.backfillLine(1_500, 1_000, 300))
                .as("statistics that undercount: the rows done are the least total")
                .isEqualTo("backfill: 1,500 of about 1,500 rows (100%), 300 rows/s, about 0 s left");
        assertThat(ProgressPrinter.backfillLine(0, 0, 0)).isEqualTo("backfill: 0 of about 0 rows, 0 rows/s");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndEndedBeforeTheNextLine() {
        StringWriter tty = new StringWriter();
        ProgressPrinter bar = new ProgressPrinter(new PrintWriter(tty, true), WIDE, Duration.ofSeconds(5), nanos::get);
        bar.stepStarted(BACKFILL, 1, 1);
        advance(200);
        bar.backfillProgress(BACKFILL, 5_000, 10_000, 5_000);
        advance(50);
        bar.backfillProgress(BACKFILL, 6_000, 10_000, 5_000);       // within 100 ms of the last redraw: not drawn
        advance(100);
        bar.backfillProgress(BACKFILL, 10_000, 10_000, 12_345);
        bar.stepFinished(BACKFILL, Duration.ofMillis(300));

        assertThat(tty.toString()).isEqualTo("  [1/1] backfill users.email_lower\n"
                + "\r        [==========>         ] backfill: 5,000 of about 10,000 rows (50%), 5,000 rows/s, about 1 s left"
                + "\r        [====================] backfill: 10,000 of about 10,000 rows (100%), 12,345 rows/s, about 0 s left"
                + "\r        [====================] backfill: 10,000 of about 10,000 rows (100%), 12,345 rows/s, about 0 s left\n"
                + "        backfilled 10,000 rows at 12,345 rows/s\n");
    }

    @Test
    void pausesThrottlingAndContinuingAlwaysGetALineOfTheirOwn() {
        StringWriter tty = new StringWriter();
        ProgressPrinter bar = new ProgressPrinter(new PrintWriter(tty, true), WIDE, Duration.ofSeconds(5), nanos::get);
        bar.stepStarted(BACKFILL, 1, 1);
        advance(200);
        bar.backfillProgress(BACKFILL, 1_000, 10_000, 5_000);
        bar.backfillPaused(BACKFILL, "paused by ops/42/accordion since 2026-12-06T05:00:00Z: \"report\"");
        bar.backfillContinued(BACKFILL, Duration.ofMillis(12_300));
        progress.stepStarted(BACKFILL, 1, 1);
        progress.backfillThrottled(BACKFILL, "replication lag 12.3 s on replica \"standby1\" is above 5 s");
        progress.backfillContinued(BACKFILL, Duration.ofMillis(400));

        assertThat(tty.toString().split("\n")).containsExactly( // split on newlines only: the bar begins with \r
                "  [1/1] backfill users.email_lower",
                "\r        [==>                 ] backfill: 1,000 of about 10,000 rows (10%), 5,000 rows/s, about 2 s left",
                "        backfill paused by ops/42/accordion since 2026-12-06T05:00:00Z: \"report\"; "
                        + "waiting for \"accordion backfill resume\"",
                "        backfill continues after waiting 12.3 s");
        assertThat(lines()).containsExactly("  [1/1] backfill users.email_lower",
                "        backfill waiting: replication lag 12.3 s on replica \"standby1\" is above 5 s",
                "        backfill continues after waiting 400 ms");
    }

    @Test
    void aThrottleWhoseNumbersChangeGetsALineAtMostEveryInterval() {
        progress.stepStarted(BACKFILL, 1, 1);
        progress.backfillThrottled(BACKFILL, "the probe query took 57 ms, above the limit of 20 ms");
        advance(500);
        progress.backfillThrottled(BACKFILL, "the probe query took 63 ms, above the limit of 20 ms");
        advance(1_600);
        progress.backfillThrottled(BACKFILL, "the probe query took 51 ms, above the limit of 20 ms");
        progress.backfillContinued(BACKFILL, Duration.ofMillis(2_100));
        progress.backfillThrottled(BACKFILL, "the probe query took 52 ms, above the limit of 20 ms");

        assertThat(lines()).containsExactly("  [1/1] backfill users.email_lower",
                "        backfill waiting: the probe query took 57 ms, above the limit of 20 ms",
                "        backfill waiting: the probe query took 51 ms, above the limit of 20 ms",
                "        backfill continues after waiting 2.1 s",
                "        backfill waiting: the probe query took 52 ms, above the limit of 20 ms");
    }

    @Test
    void onAnEightyColumnTerminalEveryRedrawFitsOnItsLine() {
        StringWriter tty = new StringWriter();
        ProgressPrinter bar = new ProgressPrinter(new PrintWriter(tty, true), OptionalInt.of(80), Duration.ofSeconds(5), nanos::get);
        bar.stepStarted(BACKFILL, 1, 1);
        for (long rows = 100_000; rows <= 1_000_000; rows += 100_000) {
            advance(150);
            bar.backfillProgress(BACKFILL, rows, 10_000_000, 40_000);
        }
        bar.stepFinished(BACKFILL, Duration.ofMillis(300));

        String[] redraws = tty.toString().split("\r");
        assertThat(redraws).hasSize(12); // the step's line, ten redraws and the final one
        for (int i = 1; i < redraws.length; i++) {
            assertThat(redraws[i].lines().findFirst().orElseThrow()).as(redraws[i]).hasSizeLessThanOrEqualTo(79)
                    .contains("backfill: ").contains(" of about 10,000,000 rows (");
        }
        assertThat(redraws[1]).as("the time left goes before the bar and the rate")
                .isEqualTo("        backfill: 100,000 of about 10,000,000 rows (1%), about 4 min 8 s left");
        assertThat(redraws[10]).as("a longer count leaves no room for \"about\": blanks cover the longer line before")
                .isEqualTo("        backfill: 1,000,000 of about 10,000,000 rows (10%), 3 min 45 s left" + " ".repeat(3));
    }

    @Test
    void onAnEightyColumnTerminalEveryRedrawFitsInSeventyNineColumns() {
        StringWriter tty = new StringWriter();
        ProgressPrinter bar = new ProgressPrinter(new PrintWriter(tty, true), OptionalInt.of(80), Duration.ofSeconds(5), nanos::get);
        bar.stepStarted(BACKFILL, 1, 1);
        for (long done = 1_000_000; done <= 10_000_000; done += 3_000_000) {
            advance(200);
            bar.backfillProgress(BACKFILL, done, 10_000_000, 123_456);
        }
        bar.stepFinished(BACKFILL, Duration.ofMillis(800));

        List<String> redraws = List.of(tty.toString().split("[\r\n]"));
        assertThat(redraws).filteredOn(line -> line.contains("backfill: ")).hasSize(5)
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(79));
        assertThat(tty.toString().split("\n")).as("the step's line, every redraw on one line, the final line").hasSize(3);
        assertThat(redraws).as("large counts leave no room for the bar and the rate, but for the time left").contains(
                "        backfill: 1,000,000 of about 10,000,000 rows (10%), 1 min 13 s left",
                "        backfill: 10,000,000 of about 10,000,000 rows (100%), about 0 s left");
    }

    @Test
    void whatDoesNotFitGoesTheBarFirstThenTheRateThenTheTimeLeft() {
        var report = new ProgressPrinter.BackfillReport(5_000, 10_000, 5_000);
        String full = "        [==========>         ] backfill: 5,000 of about 10,000 rows (50%), 5,000 rows/s, about 1 s left";

        assertThat(ProgressPrinter.barLine(report, full.length() + 1)).isEqualTo(full);
        assertThat(ProgressPrinter.barLine(report, full.length()))
                .isEqualTo("        backfill: 5,000 of about 10,000 rows (50%), 5,000 rows/s, about 1 s left");
        assertThat(ProgressPrinter.barLine(report, 80))
                .isEqualTo("        backfill: 5,000 of about 10,000 rows (50%), about 1 s left");
        assertThat(ProgressPrinter.barLine(report, 66)).isEqualTo("        backfill: 5,000 of about 10,000 rows (50%), 1 s left");
        assertThat(ProgressPrinter.barLine(report, 60)).isEqualTo("        backfill: 5,000 of about 10,000 rows (50%)");
        assertThat(ProgressPrinter.barLine(report, 21)).isEqualTo("backfill: 5,000 of a");
    }

    @Test
    void theTerminalWidthComesFromColumnsThenSttyThenDefaultsToEighty() {
        assertThat(TerminalWidth.of(Map.of("COLUMNS", "132"), () -> OptionalInt.of(100))).isEqualTo(132);
        assertThat(TerminalWidth.of(Map.of("COLUMNS", "wide"), () -> OptionalInt.of(100))).isEqualTo(100);
        assertThat(TerminalWidth.of(Map.of("COLUMNS", "0"), () -> OptionalInt.of(100))).isEqualTo(100);
        assertThat(TerminalWidth.of(Map.of(), OptionalInt::empty)).isEqualTo(80);
    }

    @Test
    void theBarFillsWithTheShareDone() {
        assertThat(ProgressPrinter.bar(0, 100)).isEqualTo("[>                   ]");
        assertThat(ProgressPrinter.bar(55, 100)).isEqualTo("[===========>        ]");
        assertThat(ProgressPrinter.bar(150, 100)).isEqualTo("[====================]");
        assertThat(ProgressPrinter.bar(0, 0)).isEqualTo("[>                   ]");
    }

    private List<String> lines() {
        return err.toString().lines().toList();
    }
}
