package dev.accordion.cli.demo;

import dev.accordion.execute.ExecutionListener;
import dev.accordion.plan.Step;
import java.time.Duration;

/** Counts the rows a phase's backfills bring over, and the rate of the last one. */
public final class BackfillMeter implements ExecutionListener {

    private long finishedRows;
    private long currentRows;
    private double rowsPerSecond;

    @Override
    public synchronized void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rate) {
        currentRows = rowsDone;
        rowsPerSecond = rate;
    }

    @Override
    public synchronized void stepFinished(Step step, Duration took) {
        finishedRows += currentRows;
        currentRows = 0;
    }

    synchronized long rows() {
        return finishedRows + currentRows;
    }

    synchronized double rowsPerSecond() {
        return rowsPerSecond;
    }

    synchronized void reset() {
        finishedRows = 0;
        currentRows = 0;
        rowsPerSecond = 0;
    }
}
