package dev.accordion.postgres.embedded;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs initdb, postgres and pg_ctl from the unpacked binaries, as the account PostgreSQL accepts. */
final class PostgresTools {

    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_CHARS = 4000;

    private final Path bin;
    private final ServerAccount account;

    private PostgresTools(Path bin, ServerAccount account) {
        this.bin = bin;
        this.account = account;
    }

    static PostgresTools fromClassPath() throws IOException {
        return new PostgresTools(PostgresBinaries.installation().resolve("bin"), ServerAccount.forThisJvm());
    }

    /** Gives {@code directory} to the account the server runs as. */
    void handOver(Path directory) throws IOException {
        account.handOver(directory);
    }

    /** Creates a cluster with a passwordless superuser {@code postgres}, in the C locale and UTF-8. */
    void initdb(Path data, Path log) throws IOException {
        // --no-sync: the cluster is disposable, so waiting for the disk to flush it would be wasted time. No
        // --no-instructions: PostgreSQL 13's initdb lacks it, and its advice goes to the log only.
        int exitCode = run(log, INITDB_TIMEOUT, "initdb", "-A", "trust", "-U", "postgres", "-D", data.toString(),
                "-E", "UTF-8", "--no-locale", "--no-sync");
        if (exitCode != 0) {
            throw new IOException("initdb failed with exit code " + exitCode + ":\n" + tail(log));
        }
    }

    /** Launches the server in the foreground (so the returned process is the postmaster itself). */
    Process startServer(Path data, String host, int port, Path log) throws IOException {
        return new ProcessBuilder(account.command(bin.resolve("postgres"), "-D", data.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=" + host, "-c", "unix_socket_directories=",
                // durability only costs time on a server whose data is thrown away
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Stops with pg_ctl's "fast" mode, which disconnects clients. A plain SIGTERM ({@link Process#destroy()}) asks for
     * a "smart" shutdown that waits for every client to leave, so one leaked connection would hang us; it remains the
     * fallback for a server too young to have written the postmaster.pid that pg_ctl needs. Never throws: this runs
     * in close() and in shutdown hooks, where the only thing left to do is to try harder.
     */
    void stopServer(Process server, Path data, Path log) {
        if (!server.isAlive()) {
            return;
        }
        try {
            int exitCode = run(log, SHUTDOWN_TIMEOUT.plusSeconds(5), "pg_ctl", "stop", "-D", data.toString(),
                    "-m", "fast", "-w", "-t", Long.toString(SHUTDOWN_TIMEOUT.toSeconds()));
            if (exitCode != 0) {
                server.destroy();
            }
            if (!server.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                server.destroyForcibly().waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            server.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }

    /** The end of a log, where the reason for a failure is. */
    static String tail(Path log) {
        try {
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return text.length() <= LOG_TAIL_CHARS ? text : "..." + text.substring(text.length() - LOG_TAIL_CHARS);
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    /** Runs a tool to completion with its output appended to {@code log}; returns its exit code. */
    private int run(Path log, Duration timeout, String tool, String... arguments) throws IOException {
        Process process = new ProcessBuilder(account.command(bin.resolve(tool), arguments))
                .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(tool + " did not finish within " + timeout.toSeconds() + " s:\n" + tail(log));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new InterruptedIOException("interrupted while waiting for " + tool);
        }
    }
}
