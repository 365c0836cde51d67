package dev.accordion.cli.demo;

import dev.accordion.ClientWatch;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.plan.Step;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the demo reads of a phase as it runs: the rows its backfills bring over and the rate of the last one, and whether
 * complete has seen the old version's clients and waits for them to go.
 */
public final class DemoMeter implements ExecutionListener {

    private volatile CountDownLatch waitingForClients = new CountDownLatch(1);

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

    @Override
    public void clientsWatched(String migration, ClientWatch watch, boolean watchingAgain) {
        if (watchingAgain) {
            waitingForClients.countDown();
        }
    }

    /** Whether, within {@code patience}, a complete saw clients of the old version and watched again for them to go. */
    boolean awaitCompleteWaitingForClients(Duration patience) throws InterruptedException {
        return waitingForClients.await(patience.toMillis(), TimeUnit.MILLISECONDS);
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
        waitingForClients = new CountDownLatch(1);
    }
}
