package dev.accordion.bench.traffic;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated client: a thread with its own connection, its {@code search_path} set to its version's schema, that
 * runs its script statement after statement (autocommit, as most application statements run) until stopped, and
 * records every statement's latency and every error under the phase that was current when it ran.
 */
final class TrafficClient implements Runnable {

    private static final int KEPT_ERRORS = 5;

    private final String name;
    private final String jdbcUrl;
    private final String schema;
    private final ClientScript script;
    private final ClientState state;
    private final AtomicLong statements = new AtomicLong();
    private final Map<String, PhaseRecord> phases = new LinkedHashMap<>();
    private final Thread thread;
    private volatile String phase;
    private volatile boolean running = true;
    private volatile Throwable crashed;

    /** One phase's latencies and errors. */
    private static final class PhaseRecord {
        final Latencies latencies = new Latencies();
        final List<String> firstErrors = new ArrayList<>();
        int errors;
    }

    TrafficClient(String name, String jdbcUrl, String schema, ClientScript script, long seed, String phase) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.schema = schema;
        this.script = script;
        this.state = new ClientState(seed);
        this.phase = phase;
        this.thread = new Thread(this, "client " + name);
        this.thread.setDaemon(true);
    }

    String name() {
        return name;
    }

    String schema() {
        return schema;
    }

    void start() {
        thread.start();
    }

    void phase(String newPhase) {
        phase = newPhase;
    }

    long statements() {
        return statements.get();
    }

    boolean alive() {
        return thread.isAlive();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
        if (crashed != null) {
            throw new IllegalStateException("client " + name + " stopped on an error of its own script", crashed);
        }
    }

    @Override
    public void run() {
        Connection connection = null;
        try {
            while (running) {
                if (connection == null || connection.isClosed()) {
                    connection = connect();
                }
                String current = phase;
                long began = System.nanoTime();
                try {
                    script.next(connection, state);
                    record(current, System.nanoTime() - began, null);
                } catch (SQLException e) {
                    record(current, System.nanoTime() - began, e);
                }
                state.counted();
                statements.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            crashed = e;
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the client is done either way
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "accordion traffic " + name);
        Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        connection.setSchema(schema);
        return connection;
    }

    private synchronized void record(String phaseName, long nanos, SQLException error) {
        PhaseRecord record = phases.computeIfAbsent(phaseName, p -> new PhaseRecord());
        record.latencies.add(nanos);
        if (error != null) {
            record.errors++;
            if (record.firstErrors.size() < KEPT_ERRORS) {
                record.firstErrors.add(error.getSQLState() + ": " + error.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    synchronized List<PhaseReport> reports() {
        List<PhaseReport> reports = new ArrayList<>();
        phases.forEach((phaseName, record) -> reports.add(new PhaseReport(name, phaseName, record.latencies.count(), record.errors,
                record.firstErrors, record.latencies.percentile(50), record.latencies.percentile(99), record.latencies.max())));
        return reports;
    }
}
