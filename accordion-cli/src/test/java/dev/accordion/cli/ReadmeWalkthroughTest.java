package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.accordion.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the README's walk-throughs as a new user would, in the order they come, each command line as printed: its
 * {@code createdb}, {@code export ACCORDION_URL}, {@code ./accordion} and {@code psql -c} lines. A database keeps
 * its name across sections, as it does for a reader, so a walk-through that reuses another's database sees what that
 * one left. Every {@code ./accordion} line must exit 0, every {@code psql} statement must succeed, and a query
 * followed by {@code # value} must return that value.
 */
class ReadmeWalkthroughTest {

    private static final Path REPOSITORY = Path.of("..");
    private static final Pattern EXPORT_URL = Pattern.compile("export ACCORDION_URL='postgres://[^/]+/(\\w+)'");
    private static final Pattern CREATEDB = Pattern.compile("createdb( -\\w \\S+)* (\\w+)");
    private static final Pattern PSQL = Pattern.compile("psql( -\\w \\S+)* (\\w+) -c \"([^\"]+)\"(\\s+# (.+))?");

    @RegisterExtension
    final TestDatabase first = new TestDatabase();
    @RegisterExtension
    final TestDatabase second = new TestDatabase();
    @RegisterExtension
    final TestDatabase third = new TestDatabase();

    private final List<TestDatabase> unused = new ArrayList<>();
    /** The README's database names and the test databases that stand for them. */
    private final Map<String, TestDatabase> databases = new HashMap<>();
    private String currentDatabase;

    @Test
    void everyWalkThroughRunsAsPrinted() throws Exception {
        unused.addAll(List.of(first, second, third));
        List<String> commands = walkThroughCommands(Files.readString(REPOSITORY.resolve("README.md")));
        assertThat(commands).as("commands of the README's walk-throughs").anyMatch(line -> line.startsWith("./accordion"))
                .anyMatch(line -> line.startsWith("psql"));
        for (String command : commands) {
            run(command);
        }
    }

    /** The command lines (indented four spaces, outside fenced blocks) of every section headed "Walk-through". */
    private static List<String> walkThroughCommands(String readme) {
        List<String> commands = new ArrayList<>();
        boolean inWalkThrough = false;
        boolean fenced = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("## ")) {
                inWalkThrough = line.startsWith("## Walk-through");
            } else if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (inWalkThrough && !fenced && line.startsWith("    ") && !line.isBlank()) {
                commands.add(line.strip());
            }
        }
        return commands;
    }

    private void run(String command) throws SQLException, IOException {
        Matcher matcher;
        if ((matcher = EXPORT_URL.matcher(command)).matches()) {
            currentDatabase = matcher.group(1);
        } else if ((matcher = CREATEDB.matcher(command)).matches()) {
            create(matcher.group(2));
        } else if (command.startsWith("./accordion ")) {
            accordion(command);
        } else if ((matcher = PSQL.matcher(command)).matches()) {
            psql(database(matcher.group(2), command), matcher.group(3), matcher.group(5), command);
        } else {
            fail("the README's walk-through has a command this test does not know how to run: " + command);
        }
    }

    private void create(String name) {
        assertThat(databases).as("createdb " + name + " runs twice in the README: the second would fail").doesNotContainKey(name);
        assertThat(unused).as("the README creates more databases than this test has; add a TestDatabase field").isNotEmpty();
        databases.put(name, unused.remove(0));
    }

    private TestDatabase database(String name, String command) {
        TestDatabase database = databases.get(name);
        assertThat(database).as("\"" + command + "\" uses database " + name + " before the README creates it").isNotNull();
        return database;
    }

    private void accordion(String command) {
        assertThat(command).as("an ./accordion line this test splits on spaces").doesNotContain("\"", "'");
        String[] args = Arrays.stream(command.substring("./accordion ".length()).split(" +"))
                .map(arg -> arg.startsWith("examples/") ? REPOSITORY.resolve(arg).toString() : arg)
                .toArray(String[]::new);
        assertThat(currentDatabase).as("\"" + command + "\" runs before the README sets ACCORDION_URL").isNotNull();
        String url = database(currentDatabase, command).jdbcUrl();
        CliRun run = CliRun.run(Map.of(GlobalOptions.URL_VARIABLE, url), args);
        assertThat(run.exitCode()).as("\"" + command + "\" on database " + currentDatabase + ":\n" + run).isZero();
    }

    private static void psql(TestDatabase database, String sql, String expected, String command) throws SQLException {
        String last = null;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            boolean isQuery = statement.execute(sql);
            while (true) {
                if (isQuery) {
                    try (ResultSet rows = statement.getResultSet()) {
                        last = rows.next() ? rows.getString(1) : null;
                    }
                } else if (statement.getUpdateCount() == -1) {
                    break;
                }
                isQuery = statement.getMoreResults();
            }
        } catch (SQLException e) {
            fail("\"" + command + "\" failed: " + e.getMessage(), e);
        }
        if (expected != null) {
            assertThat(last).as(command).isEqualTo(expected.strip());
        }
    }
}
