package dev.accordion.bench;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/** Where the benchmark runs: a database the user named, or an embedded PostgreSQL that lives as long as the run. */
public interface BenchServer extends AutoCloseable {

    /** For the report: which server this is, never with credentials. */
    String description();

    /** The database the benchmark creates its schemas in. */
    String jdbcUrl();

    @Override
    void close();

    static BenchServer at(String jdbcUrl) {
        return new BenchServer() {
            @Override
            public String description() {
                return "the database given by --url";
            }

            @Override
            public String jdbcUrl() {
                return jdbcUrl;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Starts an embedded server (its durability is off, so figures on it flatter both sides); closing deletes it. */
    static BenchServer embedded() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.start();
        } catch (IOException e) {
            throw new AccordionException(ErrorCode.CONNECTION, "cannot start the embedded PostgreSQL: " + e.getMessage()
                    + "\nGive --url to run the benchmark in a database of yours.", e);
        }
        return new BenchServer() {
            @Override
            public String description() {
                return "an embedded PostgreSQL " + postgres.version() + " (fsync off), started for this run";
            }

            @Override
            public String jdbcUrl() {
                return postgres.jdbcUrl("postgres");
            }

            @Override
            public void close() {
                postgres.close();
            }
        };
    }
}
