package dev.accordion.cli.demo;

import dev.accordion.Accordion;
import dev.accordion.PhaseResult;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The rename scenario, told step by step: a column is renamed while clients of the old version
 * (which call it {@code name}) and of the new version (which call it {@code full_name}) both read
 * and write the same table, each seeing the other's rows under its own column name.
 */
public final class RenameScenario {

    public static final String SCHEMA = "public";
    private static final int SAMPLE_USERS = 1000;
    private static final String BASELINE = "00_baseline";
    private static final String MIGRATION = "01_rename_name_to_full_name";
    private static final String MIGRATION_YAML = """
            operations:
              - rename_column:
                  table: users
                  from: name
                  to: full_name
            """;

    private final DemoServer server;
    private final Function<String, Accordion> accordionAt;
    private final PrintWriter out;
    private int section;

    /**
     * @param accordionAt builds the facade for a JDBC URL, on schema {@value #SCHEMA}
     * @param out         where the narrative goes
     */
    public RenameScenario(DemoServer server, Function<String, Accordion> accordionAt, PrintWriter out) {
        this.server = server;
        this.accordionAt = accordionAt;
        this.out = out;
    }

    public void run() throws SQLException {
        String url = server.jdbcUrl(DemoDatabase.NAME);
        out.println("Accordion demo: renaming a column while old and new clients keep working");
        section("Setting up");
        DemoDatabase.recreate(server);
        try (Connection admin = DriverManager.getConnection(url)) {
            say("Server: " + server.description() + ", PostgreSQL " + DemoDatabase.serverVersion(admin) + ".");
            DemoDatabase.createUsers(admin, SAMPLE_USERS);
        }
        say("Created database " + DemoDatabase.NAME + " with table users(id, name, email) and " + SAMPLE_USERS + " rows.");
        say("Today's application (v1) reads and writes users.name.");

        Accordion accordion = accordionAt.apply(url);
        section("Baseline: adopting the existing schema");
        PhaseResult baseline = accordion.baseline(BASELINE);
        String oldSchema = baseline.versionSchema().orElseThrow();
        say("accordion baseline " + BASELINE + " recorded the schema as it is and created version schema \"" + oldSchema + "\".");
        say("v1 clients now connect with search_path \"" + oldSchema + "\" (\"accordion latest url\" prints the URL).");

        section("Start: " + MIGRATION + " renames users.name to full_name");
        Migration migration = MigrationReader.parseYaml(MIGRATION, MIGRATION_YAML);
        PhaseResult started = accordion.start(migration, false);
        String newSchema = started.versionSchema().orElseThrow();
        say("accordion start created version schema \"" + newSchema + "\" for v2; \"" + oldSchema + "\" stays for v1.");
        try (VersionClient v1 = VersionClient.connect(ClientVersion.V1, url, oldSchema);
             VersionClient v2 = VersionClient.connect(ClientVersion.V2, url, newSchema)) {
            showBothVersionsAtWork(v1, v2);

            section("Complete: the old version goes away");
            PhaseResult completed = accordion.complete();
            say("accordion complete removed version schema \"" + oldSchema + "\"; clients use \"" + completed.versionSchema().orElseThrow() + "\".");
            showOldVersionIsGone(url, oldSchema, v1, v2);
        }
        out.println();
        out.println("Done. Run \"accordion demo\" again at any time: it recreates " + DemoDatabase.NAME + " from scratch.");
    }

    private void showBothVersionsAtWork(VersionClient v1, VersionClient v2) throws SQLException {
        say(v1.label() + " sees users(" + String.join(", ", v1.columns()) + ") and " + v1.countUsers() + " rows.");
        say(v2.label() + " sees users(" + String.join(", ", v2.columns()) + ") and " + v2.countUsers() + " rows.");

        section("Both versions read and write the same table");
        long fromV1 = v1.insertUser("Ada Lovelace", "ada@example.com");
        say(v1.label() + " inserts " + v1.nameColumn() + " = 'Ada Lovelace'   -> id " + fromV1);
        long fromV2 = v2.insertUser("Grace Hopper", "grace@example.com");
        say(v2.label() + " inserts " + v2.nameColumn() + " = 'Grace Hopper' -> id " + fromV2);
        say(v1.label() + " reads id " + fromV2 + ": " + v1.nameColumn() + " = '" + v1.nameOf(fromV2) + "'");
        say(v2.label() + " reads id " + fromV1 + ": " + v2.nameColumn() + " = '" + v2.nameOf(fromV1) + "'");
        say(v1.label() + " counts " + v1.countUsers() + " rows, " + v2.label() + " counts " + v2.countUsers()
                + ": one table, two names for one column.");
    }

    private void showOldVersionIsGone(String url, String oldSchema, VersionClient v1, VersionClient v2) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url)) {
            say("Schema \"" + oldSchema + "\" exists: " + (DemoDatabase.schemaExists(admin, oldSchema) ? "yes" : "no") + ".");
        }
        try {
            v1.countUsers();
            say(v1.label() + " can still read users, which it should not.");
        } catch (SQLException e) {
            say("A v1 client that is still connected now gets: " + e.getMessage().lines().findFirst().orElse(""));
        }
        say(v2.label() + " reads id 1: " + v2.nameColumn() + " = '" + v2.nameOf(1) + "', and sees "
                + v2.countUsers() + " rows.");
    }

    private void section(String title) {
        out.println();
        out.println(++section + ". " + title);
    }

    private void say(String line) {
        out.println("   " + line);
    }
}
