package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.assertRejected;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.constraints;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.row;
import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.tables;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * rename_table: while the migration is active the physical table keeps its name and each version
 * reads and writes it under its own name; complete renames it, keeping the foreign keys that point
 * at it and its indexes. Also renames composed with other operations of the same migration.
 */
class RenameTableLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void setUp() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_base", """
                operations:
                  - create_table:
                      name: authors
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text, unique: true}
                  - create_table:
                      name: books
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: author_id, type: integer, references: {name: books_author_fk, table: authors, column: id}}
                        - {name: title, type: text}
                  - create_index: {name: authors_name_idx, table: authors, columns: [name]}
                """);
        lifecycle.version("01_base").execute("INSERT INTO authors (name) VALUES ('Le Guin')");
    }

    @Test
    void bothVersionsReadAndWriteUnderTheirOwnName() throws Exception {
        lifecycle.run("02_writers", """
                operations:
                  - rename_table: {from: authors, to: writers}
                """, (v1, v2) -> {
            assertThat(v1.columns("authors")).containsExactly("id", "name");
            assertThat(v1.columns("writers")).isEmpty();
            assertThat(v2.columns("writers")).containsExactly("id", "name");
            assertThat(v2.columns("authors")).isEmpty();
            v1.execute("INSERT INTO authors (name) VALUES ('from v1')");
            v2.execute("INSERT INTO writers (name) VALUES ('from v2')");
            v2.execute("UPDATE writers SET name = 'Ursula K. Le Guin' WHERE name = 'Le Guin'");
            assertThat(v1.rows("SELECT name FROM authors ORDER BY id")).extracting(r -> r.get("name"))
                    .containsExactly("Ursula K. Le Guin", "from v1", "from v2");
            assertThat(v2.rows("SELECT name FROM writers ORDER BY id")).extracting(r -> r.get("name"))
                    .containsExactly("Ursula K. Le Guin", "from v1", "from v2");
            // the foreign key and the unique constraint hold whichever name a client uses
            int v2Writer = (Integer) v2.rows("SELECT id FROM writers WHERE name = 'from v2'").get(0).get("id");
            v1.execute("INSERT INTO books (author_id, title) VALUES (" + v2Writer + ", 'by a v2 writer')");
            assertRejected("23503", () -> v2.execute("INSERT INTO books (author_id, title) VALUES (999, 'orphan')"));
            assertRejected("23505", () -> v1.execute("INSERT INTO authors (name) VALUES ('from v2')"));
            assertThat(tables(db)).containsExactly("authors", "books");
            v1.execute("DELETE FROM books");
            v1.execute("DELETE FROM authors WHERE name LIKE 'from %'");
            v1.execute("UPDATE authors SET name = 'Le Guin'");
        }, (v1, v2) -> {
            assertThat(tables(db)).containsExactly("authors", "books");
            assertThat(v1.rows("SELECT name FROM authors")).containsExactly(row("name", "Le Guin"));
            assertThat(constraints(db, "books")).contains("books_author_fk f FOREIGN KEY (author_id) REFERENCES authors(id)");
        }, (v1, v2) -> {
            assertThat(tables(db)).containsExactly("books", "writers");
            assertThat(constraints(db, "books")).contains("books_author_fk f FOREIGN KEY (author_id) REFERENCES writers(id)");
            assertThat(db.queryStrings("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'public.writers'::regclass ORDER BY 1"))
                    .containsExactly("authors_name_idx", "authors_name_key", "authors_pkey");
            assertThat(db.queryString("SELECT pg_get_serial_sequence('public.writers', 'id')")).isEqualTo("public.authors_id_seq");
            v2.execute("INSERT INTO writers (name) VALUES ('after complete')");
            v2.execute("INSERT INTO books (author_id, title) VALUES ((SELECT id FROM writers WHERE name = 'Le Guin'), 'Earthsea')");
            assertRejected("23503", () -> v2.execute("INSERT INTO books (author_id, title) VALUES (999, 'orphan')"));
            assertThat(v2.rows("SELECT w.name, b.title FROM books b JOIN writers w ON w.id = b.author_id"))
                    .containsExactly(row("name", "Le Guin", "title", "Earthsea"));
            assertThat(db.queryStrings("SELECT name FROM public.writers ORDER BY id")).isEqualTo(List.of("Le Guin", "after complete"));
        });
    }

    @Test
    void aTableCreatedAndRenamedInOneMigrationEndsUnderTheLastName() throws Exception {
        lifecycle.run("02_series", """
                operations:
                  - create_table:
                      name: series
                      columns:
                        - {name: id, type: integer, pk: true}
                        - {name: title, type: text}
                  - rename_table: {from: series, to: sagas}
                """, (v1, v2) -> {
            assertThat(v1.columns("series")).isEmpty();
            assertThat(v1.columns("sagas")).isEmpty();
            assertThat(v2.columns("series")).isEmpty();
            assertThat(v2.columns("sagas")).containsExactly("id", "title");
            v2.execute("INSERT INTO sagas (id, title) VALUES (1, 'Earthsea')");
            assertThat(v2.rows("SELECT title FROM sagas")).containsExactly(row("title", "Earthsea"));
        }, (v1, v2) -> assertThat(tables(db)).containsExactly("authors", "books"),
                (v1, v2) -> {
            assertThat(tables(db)).containsExactly("authors", "books", "sagas");
            assertThat(db.queryStrings("SELECT title FROM public.sagas")).containsExactly("Earthsea");
        });
    }

    @Test
    void aRenamedTableMayHaveItsColumnRenamedInTheSameMigration() throws Exception {
        lifecycle.run("02_writers", """
                operations:
                  - rename_table: {from: authors, to: writers}
                  - rename_column: {table: writers, from: name, to: pen_name}
                """, (v1, v2) -> {
            assertThat(v1.columns("authors")).containsExactly("id", "name");
            assertThat(v2.columns("writers")).containsExactly("id", "pen_name");
            v1.execute("INSERT INTO authors (name) VALUES ('from v1')");
            v2.execute("INSERT INTO writers (pen_name) VALUES ('from v2')");
            assertThat(v1.rows("SELECT name FROM authors ORDER BY id")).extracting(r -> r.get("name"))
                    .containsExactly("Le Guin", "from v1", "from v2");
            assertThat(v2.rows("SELECT pen_name FROM writers ORDER BY id")).extracting(r -> r.get("pen_name"))
                    .containsExactly("Le Guin", "from v1", "from v2");
            v2.execute("DELETE FROM writers WHERE pen_name LIKE 'from %'");
        }, (v1, v2) -> assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'authors' ORDER BY ordinal_position")).containsExactly("id", "name"),
                (v1, v2) -> {
            assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                    + "WHERE table_schema = 'public' AND table_name = 'writers' ORDER BY ordinal_position")).containsExactly("id", "pen_name");
            assertThat(db.queryString("SELECT to_regclass('public.authors') IS NULL")).isEqualTo("t");
            assertThat(v2.rows("SELECT pen_name FROM writers")).containsExactly(row("pen_name", "Le Guin"));
        });
    }

    @Test
    void aNewTableMayReferenceATableAndColumnRenamedEarlierInTheSameMigration() throws Exception {
        lifecycle.run("02_writers", """
                operations:
                  - rename_table: {from: authors, to: writers}
                  - rename_column: {table: writers, from: name, to: pen_name}
                  - create_table:
                      name: awards
                      columns:
                        - {name: id, type: integer, pk: true}
                        - {name: writer_id, type: integer, references: {name: awards_writer_fk, table: writers, column: id}}
                        - {name: writer_pen_name, type: text}
                      constraints:
                        - name: awards_pen_name_fk
                          type: foreign_key
                          columns: [writer_pen_name]
                          references: {table: writers, columns: [pen_name], on_update: CASCADE}
                """, (v1, v2) -> {
            v2.execute("INSERT INTO awards (id, writer_id, writer_pen_name) VALUES (1, (SELECT id FROM writers), 'Le Guin')");
            assertRejected("23503", () -> v2.execute("INSERT INTO awards (id, writer_id, writer_pen_name) VALUES (2, 999, 'Le Guin')"));
            assertRejected("23503", () -> v2.execute("INSERT INTO awards (id, writer_id, writer_pen_name) VALUES (2, 1, 'nobody')"));
            v1.execute("UPDATE authors SET name = 'U. K. Le Guin'");
            assertThat(v2.rows("SELECT writer_pen_name FROM awards")).containsExactly(row("writer_pen_name", "U. K. Le Guin"));
            v2.execute("DELETE FROM awards");
            v1.execute("UPDATE authors SET name = 'Le Guin'");
        }, Lifecycle.NOTHING, (v1, v2) -> {
            assertThat(constraints(db, "awards")).contains(
                    "awards_writer_fk f FOREIGN KEY (writer_id) REFERENCES writers(id)",
                    "awards_pen_name_fk f FOREIGN KEY (writer_pen_name) REFERENCES writers(pen_name) ON UPDATE CASCADE");
            v2.execute("INSERT INTO awards (id, writer_id, writer_pen_name) VALUES (3, (SELECT id FROM writers), 'Le Guin')");
            assertThat(v2.rows("SELECT w.pen_name FROM awards a JOIN writers w ON w.id = a.writer_id")).containsExactly(row("pen_name", "Le Guin"));
        });
    }

    @Test
    void renamingToAnExistingTableOrIndexNameIsRefused() {
        assertThat(assertRefused(lifecycle, db, "02_clash", """
                operations:
                  - rename_table: {from: authors, to: books}
                  - rename_table: {from: books, to: authors_name_idx}
                """)).containsExactly(
                "operation 1 (rename_table): a table or index named \"books\" already exists; choose another name",
                "operation 2 (rename_table): a table or index named \"authors_name_idx\" already exists; choose another name");
    }

    @Test
    void renamingAnUnknownTableOrToANameOver63BytesIsRefused() {
        String longName = "w".repeat(64);
        List<String> problems = assertRefused(lifecycle, db, "02_bad_renames", """
                operations:
                  - rename_table: {from: publishers, to: houses}
                  - rename_table: {from: authors, to: %s}
                """.formatted(longName));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).isEqualTo("operation 1 (rename_table): table \"publishers\" does not exist (tables: \"authors\", \"books\")");
        assertThat(problems.get(1)).startsWith("operation 2 (rename_table): name \"" + longName + "\" is 64 bytes long").contains("at most 63");
    }
}
