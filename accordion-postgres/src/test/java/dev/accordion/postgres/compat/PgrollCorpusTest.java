package dev.accordion.postgres.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * pgroll's public example migrations, a linear history, run unchanged (DESIGN §7, "Compatibility corpus"). Each file,
 * in name order on one database, goes start, rollback, start, complete: so the whole history is applied, and every
 * file also proves it rolls back cleanly. The corpus lives outside the project, in {@code ../shared}; without it the
 * test is skipped with a message.
 */
class PgrollCorpusTest {

    private static final Path CORPUS = Path.of("../compat/pgroll-examples");
    /** Its down names a column that does not exist: refused as it is, applied once corrected. */
    private static final String WRONG_FILE = "35_alter_column_multiple";
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TestFactory
    Stream<DynamicTest> everyExampleStartsRollsBackStartsAndCompletesInOrder() throws Exception {
        assertThat(CORPUS).as("the pgroll corpus at " + CORPUS.toAbsolutePath()).isDirectory();
        List<Migration> history = MigrationReader.readDirectory(CORPUS);
        assertThat(history).hasSize(56);
        return history.stream().map(migration -> DynamicTest.dynamicTest(migration.name(), () -> {
            Accordion accordion = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).lockTimeout(Duration.ofMillis(500))
                    .lockRetryDeadline(Duration.ofSeconds(20)).load();
            Migration toRun = migration;
            if (migration.name().equals(WRONG_FILE)) {
                assertThatThrownBy(() -> accordion.start(migration, false))
                        .isInstanceOfSatisfying(AccordionException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MIGRATION);
                            assertThat(e.getMessage()).contains("down (event_name)", "column \"event_name\" does not exist");
                        });
                assertThat(accordion.status().active()).isEmpty();
                toRun = MigrationReader.parseYaml(WRONG_FILE, Files.readString(CORPUS.resolve(WRONG_FILE + ".yaml"))
                        .replace("down: event_name", "down: name"));
            }
            String before = accordion.latestVersionSchema().map(Object::toString).orElse(null);
            accordion.start(toRun, false);
            accordion.rollback();
            assertThat(accordion.latestVersionSchema().map(Object::toString).orElse(null)).isEqualTo(before);
            accordion.start(toRun, false);
            accordion.complete();
            assertThat(accordion.status().active()).isEmpty();
        }));
    }
}
