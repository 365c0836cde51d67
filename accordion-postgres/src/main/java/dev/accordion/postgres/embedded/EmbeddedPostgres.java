package dev.accordion.postgres.embedded;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throwaway PostgreSQL server for tests and demos, started from the binaries on the class path: a fresh data
 * directory, a free port on 127.0.0.1, superuser {@code postgres} without a password. Durability is switched off for
 * speed, so never keep data you care about in it. The server stops on {@link #close()} or, failing that, when the
 * JVM exits normally; a JVM killed with SIGKILL leaves it running.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READINESS_POLL = Duration.ofMillis(50);
    private static final int PORT_ATTEMPTS = 3;
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private final PostgresTools tools;
    private final Path instanceDirectory;
    private final Process server;
    private final int port;
    private final String version;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(PostgresTools tools, Path instanceDirectory, Process server, int port, String version) {
        this.tools = tools;
        this.instanceDirectory = instanceDirectory;
        this.server = server;
        this.port = port;
        this.version = version;
        this.shutdownHook = new Thread(this::close, "accordion-embedded-postgres-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Initializes a new data directory and starts a server on it; returns once it accepts JDBC connections. */
    public static EmbeddedPostgres start() throws IOException {
        PostgresTools tools = PostgresTools.fromClassPath();
        // The instance directory holds the data directory and the logs, because initdb wants an empty data directory.
        Path instance = Files.createTempDirectory("accordion-pg-instance-").toAbsolutePath().normalize();
        try {
            tools.handOver(instance);
            Path data = Files.createDirectory(instance.resolve("data"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            tools.handOver(data);
            tools.initdb(data, instance.resolve("initdb.log"));
            return launch(tools, instance, data);
        } catch (IOException | RuntimeException e) {
            try {
                FileTree.delete(instance);
            } catch (IOException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + LOOPBACK + ":" + port + "/" + database + "?user=postgres";
    }

    /** The server's version, such as {@code 17.5}. */
    public String version() {
        return version;
    }

    /** Stops the server (disconnecting any clients) and deletes its data directory; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // we are that hook, or the JVM is exiting anyway: nothing to unregister
        }
        tools.stopServer(server, instanceDirectory.resolve("data"), instanceDirectory.resolve("pg_ctl.log"));
        try {
            FileTree.delete(instanceDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the embedded PostgreSQL directory " + instanceDirectory, e);
        }
    }

    /** Where the data directory and the logs are; for tests. */
    Path instanceDirectory() {
        return instanceDirectory;
    }

    private static EmbeddedPostgres launch(PostgresTools tools, Path instance, Path data) throws IOException {
        Path log = instance.resolve("postgres.log");
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process server = tools.startServer(data, LOOPBACK, port, log);
            try {
                return new EmbeddedPostgres(tools, instance, server, port, awaitReady(server, port, data, log));
            } catch (PortTakenException e) {
                tools.stopServer(server, data, instance.resolve("pg_ctl.log"));
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                tools.stopServer(server, data, instance.resolve("pg_ctl.log"));
                throw e;
            }
        }
    }

    /**
     * Another process can take the port between this probe and the server's bind; {@link #awaitReady} notices, and
     * {@link #launch} tries another port.
     */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return probe.getLocalPort();
        }
    }

    /** Polls until our server accepts a JDBC connection, and returns its version. */
    private static String awaitReady(Process server, int port, Path data, Path log) throws IOException {
        String url = "jdbc:postgresql://" + LOOPBACK + ":" + port + "/postgres?user=postgres&connectTimeout=5";
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        SQLException lastRefusal = null;
        do {
            try (Connection connection = DRIVER.connect(url, new Properties());
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(
                            "SELECT current_setting('data_directory'), current_setting('server_version')")) {
                row.next();
                // If our server lost the port to another PostgreSQL, that one may answer before ours gives up.
                if (!row.getString(1).equals(data.toString())) {
                    throw new PortTakenException("port " + port + " is taken by another PostgreSQL server");
                }
                return row.getString(2).split(" ", 2)[0]; // drop a packager's suffix such as "(Debian 17.5-1)"
            } catch (SQLException e) {
                lastRefusal = e; // not up yet ("connection refused", "the database system is starting up")
            }
            if (exitsWithin(server, READINESS_POLL)) {
                String output = PostgresTools.tail(log);
                String problem = "PostgreSQL exited with code " + server.exitValue() + " before accepting connections."
                        + " Server log (" + log + "):\n" + output;
                throw output.contains("Address already in use") ? new PortTakenException(problem)
                        : new IOException(problem);
            }
        } while (System.nanoTime() < deadline);
        throw new IOException("PostgreSQL did not accept connections within " + STARTUP_TIMEOUT.toSeconds() + " s ("
                + lastRefusal.getMessage() + "). Server log (" + log + "):\n" + PostgresTools.tail(log), lastRefusal);
    }

    private static boolean exitsWithin(Process server, Duration pause) throws InterruptedIOException {
        try {
            return server.waitFor(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for PostgreSQL to start");
        }
    }

    /** Our server could not bind its port; worth retrying with another one. */
    private static final class PortTakenException extends IOException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }
}
