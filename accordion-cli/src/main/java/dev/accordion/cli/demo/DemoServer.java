package dev.accordion.cli.demo;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.postgres.PostgresUrls;
import dev.accordion.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/** The PostgreSQL server the demo runs on: one the user named, or an embedded one that lives as long as the demo. */
public interface DemoServer extends AutoCloseable {

    /** For the narrative: which server this is, never with credentials. */
    String description();

    /** A URL for one database of this server, with the credentials it needs. */
    String jdbcUrl(String database);

    /** A URL for a database that surely exists, to create and drop the demo's own database from. */
    String maintenanceUrl();

    @Override
    void close();

    /** The server of a JDBC URL; the demo works in a database of its own there. */
    static DemoServer at(String jdbcUrl) {
        return new DemoServer() {
            @Override
            public String description() {
                return "the server given by --url";
            }

            @Override
            public String jdbcUrl(String database) {
                return PostgresUrls.withDatabase(jdbcUrl, database);
            }

            @Override
            public String maintenanceUrl() {
                return jdbcUrl;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Starts an embedded server; closing it stops the server and deletes its data. */
    static DemoServer embedded() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.start();
        } catch (IOException e) {
            throw new AccordionException(ErrorCode.CONNECTION, "cannot start the embedded PostgreSQL: " + e.getMessage()
                    + "\nGive --url to run the demo on a server of yours (it creates and drops a database named "
                    + DemoDatabase.DEFAULT_NAME + " there).", e);
        }
        return new DemoServer() {
            @Override
            public String description() {
                return "an embedded PostgreSQL, started for this demo";
            }

            @Override
            public String jdbcUrl(String database) {
                return postgres.jdbcUrl(database);
            }

            @Override
            public String maintenanceUrl() {
                return postgres.jdbcUrl("postgres");
            }

            @Override
            public void close() {
                try {
                    postgres.close();
                } catch (Exception e) { // whatever the embedded server's close() declares
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    throw new AccordionException(ErrorCode.INTERNAL, "the embedded PostgreSQL did not stop cleanly: " + e.getMessage(), e);
                }
            }
        };
    }
}
