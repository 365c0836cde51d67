package dev.accordion.bench.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulated clients of the application's versions, reading and writing one database while migrations run
 * (issue 4's live-traffic tests and {@code accordion demo}). Clients are started per version schema, stopped per
 * version schema (as a rolling deploy retires a version), and every statement is recorded under the phase that was
 * current when it ran, so the report says per phase and per client how many statements ran, which failed, and how
 * long they took.
 */
public final class Traffic implements AutoCloseable {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final String jdbcUrl;
    private final List<TrafficClient> running = new ArrayList<>();
    private final List<TrafficClient> stopped = new ArrayList<>();
    private String phase = "before";
    private long seed = 1;

    /** @param jdbcUrl the database, with user and password if needed; each client opens its own connection */
    public Traffic(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Starts a client that runs {@code script} through {@code versionSchema}. */
    public synchronized void start(String client, String versionSchema, ClientScript script) {
        TrafficClient started = new TrafficClient(client, jdbcUrl, versionSchema, script, seed++, phase);
        running.add(started);
        started.start();
    }

    /** From now on every client's statements count towards {@code name}. */
    public synchronized void phase(String name) {
        phase = name;
        running.forEach(c -> c.phase(name));
    }

    /**
     * Waits until every running client has run at least {@code statements} more statements, so that a phase is known to
     * have been exercised by each of them; fails after {@code deadline} naming the clients that fell short.
     */
    public void awaitEachClient(long statements, Duration deadline) {
        Map<TrafficClient, Long> targets = new HashMap<>();
        synchronized (this) {
            running.forEach(c -> targets.put(c, c.statements() + statements));
        }
        Instant giveUp = Instant.now().plus(deadline);
        while (targets.entrySet().stream().anyMatch(t -> t.getKey().statements() < t.getValue())) {
            List<String> dead = targets.keySet().stream().filter(c -> !c.alive()).map(TrafficClient::name).toList();
            if (!dead.isEmpty() || Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("clients " + targets.entrySet().stream()
                        .filter(t -> t.getKey().statements() < t.getValue()).map(t -> t.getKey().name()).toList()
                        + " did not run " + statements + " statements within " + deadline + (dead.isEmpty() ? "" : "; stopped: " + dead));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Stops the clients of {@code versionSchema}, each after its current statement. */
    public synchronized void stopVersion(String versionSchema) throws InterruptedException {
        for (TrafficClient client : List.copyOf(running)) {
            if (client.schema().equals(versionSchema)) {
                running.remove(client);
                client.stop();
                stopped.add(client);
            }
        }
    }

    /** Every client's report for every phase it ran statements in: the stopped clients first, then the running ones. */
    public synchronized List<PhaseReport> reports() {
        List<PhaseReport> reports = new ArrayList<>();
        stopped.forEach(c -> reports.addAll(c.reports()));
        running.forEach(c -> reports.addAll(c.reports()));
        return reports;
    }

    /** The reports of the statements that failed, one per client and phase that had any. */
    public List<PhaseReport> failures() {
        return reports().stream().filter(r -> r.errors() > 0).toList();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (TrafficClient client : List.copyOf(running)) {
            running.remove(client);
            client.stop();
            stopped.add(client);
        }
    }
}
