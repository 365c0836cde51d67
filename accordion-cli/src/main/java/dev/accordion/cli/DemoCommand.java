package dev.accordion.cli;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.cli.demo.DemoServer;
import dev.accordion.cli.demo.RenameScenario;
import dev.accordion.postgres.PostgresUrls;
import java.sql.SQLException;
import picocli.CommandLine.Command;

@Command(name = "demo", description = {
    "Show a migration at work: rename a column while clients of the old and the new version read and write.",
    "Runs on an embedded PostgreSQL unless --url names a server; there it creates (and first drops) a database "
            + "named accordion_demo. " + GlobalOptions.URL_VARIABLE + " is not used, so that the demo never touches "
            + "a database by accident."})
final class DemoCommand extends Subcommand {

    @Override
    public Integer call() throws Exception {
        String url = options().urlOption();
        if (url == null) {
            err().println("starting an embedded PostgreSQL (the first run unpacks it, which takes a few seconds)...");
        }
        try (DemoServer server = url == null ? DemoServer.embedded() : DemoServer.at(PostgresUrls.toJdbc(url))) {
            ProgressPrinter progress = new ProgressPrinter(err());
            new RenameScenario(server, jdbcUrl -> options().targetAt(jdbcUrl).withSchema(RenameScenario.SCHEMA).load(progress),
                    out()).run();
        } catch (SQLException e) {
            if (cannotConnect(e)) {
                throw new AccordionException(ErrorCode.CONNECTION, "cannot connect to the demo's server: " + e.getMessage().strip()
                        + "\nCheck that the server is running and that --url names the right host, port and user.", e);
            }
            throw new AccordionException(ErrorCode.DATABASE, "the demo's own SQL failed: " + e.getMessage().strip(), e);
        }
        return ExitCodes.SUCCESS;
    }

    /** SQLSTATE classes 08 (connection exception), 28 (authorization) and 3D (no such database). */
    private static boolean cannotConnect(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("28") || state.startsWith("3D"));
    }
}
