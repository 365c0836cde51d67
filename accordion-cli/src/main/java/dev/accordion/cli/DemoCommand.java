package dev.accordion.cli;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.cli.demo.DemoMeter;
import dev.accordion.cli.demo.DemoDatabase;
import dev.accordion.cli.demo.DemoServer;
import dev.accordion.cli.demo.TrafficDemo;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.postgres.PostgresUrls;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {
    "Show migrations at work: rename a column, split a table, change a column's type, each while clients of the old and the "
            + "new version read and write; then print per phase and client the statements, errors and latencies.",
    "Runs on an embedded PostgreSQL unless --url names a server; there it creates (and first drops) a database "
            + "named accordion_demo (or --database). " + GlobalOptions.URL_VARIABLE + " is not used, so that the demo never touches "
            + "a database by accident."})
final class DemoCommand extends Subcommand implements TextOnly {

    /** The clients read rows by id among the first thousand. */
    private static final int FEWEST_ROWS = 1_000;

    @Option(names = "--rows", defaultValue = "100000", paramLabel = "N",
            description = "Users and products the demo starts with (default: ${DEFAULT-VALUE}, at least " + FEWEST_ROWS + ").")
    int rows;

    @Option(names = "--database", defaultValue = DemoDatabase.DEFAULT_NAME, paramLabel = "NAME",
            description = "The database the demo drops and creates on the server of --url (default: ${DEFAULT-VALUE}).")
    String database;

    @Override
    public String whyTextOnly() {
        return "it prints live tables of the simulated clients for people to watch";
    }

    @Override
    public Integer call() throws Exception {
        if (rows < FEWEST_ROWS) {
            throw new AccordionException(ErrorCode.USAGE, "--rows " + rows + " is too few: the demo's clients read rows among the "
                    + "first " + FEWEST_ROWS + "; give --rows " + FEWEST_ROWS + " or more");
        }
        String url = options().urlOption();
        if (url == null) {
            err().println("starting an embedded PostgreSQL (the first run unpacks it, which takes a few seconds)...");
        }
        long failed;
        try (DemoServer server = url == null ? DemoServer.embedded() : DemoServer.at(PostgresUrls.toJdbc(url))) {
            DemoMeter backfill = TrafficDemo.demoMeter();
            ExecutionListener listeners = ExecutionListener.all(root().progressPrinter(err()), backfill);
            failed = new TrafficDemo(server, jdbcUrl -> options().targetAt(jdbcUrl).withSchema(TrafficDemo.SCHEMA).load(listeners),
                    backfill, database, rows, out()).run();
        } catch (SQLException e) {
            if (cannotConnect(e)) {
                throw new AccordionException(ErrorCode.CONNECTION, "cannot connect to the demo's server: " + e.getMessage().strip()
                        + "\nCheck that the server is running and that --url names the right host, port and user.", e);
            }
            throw new AccordionException(ErrorCode.DATABASE, "the demo's own SQL failed: " + e.getMessage().strip(), e);
        }
        if (failed > 0) {
            throw new AccordionException(ErrorCode.INTERNAL, failed + " client statements failed or rows disagreed during the demo "
                    + "(listed above). Accordion promises none; please report this with the output above.");
        }
        return ExitCodes.SUCCESS;
    }

    /** SQLSTATE classes 08 (connection exception), 28 (authorization) and 3D (no such database). */
    private static boolean cannotConnect(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("28") || state.startsWith("3D"));
    }
}
