package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.constraints;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.indexes;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.ErrorCode;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * add_column in each variant it supports today: the old version never sees the new column and keeps
 * writing, the new version sees and writes it, rollback takes the column and all it brought away,
 * complete leaves it with the declared catalog facts. Refused variants leave the database untouched.
 */
class AddColumnLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void usersAndTeams() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_users", """
                operations:
                  - create_table:
                      name: teams
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                """);
        VersionClient v1 = lifecycle.version("01_users");
        v1.execute("INSERT INTO teams (name) VALUES ('core'), ('ops')");
        v1.execute("INSERT INTO users (name) VALUES ('Ada')");
    }

    @Test
    void nullableColumnIsHiddenFromTheOldVersionAndWrittenByTheNew() throws Exception {
        lifecycle.run("02_add_email", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text, nullable: true}
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name");
                    assertThat(v2.columns("users")).containsExactly("id", "name", "email");
                    v1.execute("INSERT INTO users (name) VALUES ('from v1')");
                    v2.execute("INSERT INTO users (name, email) VALUES ('from v2', 'v2@example.com')");
                    v2.execute("UPDATE users SET email = 'ada@example.com' WHERE name = 'Ada'");
                    v1.execute("UPDATE users SET name = 'v2, renamed by v1' WHERE name = 'from v2'");
                    assertThat(lines(v2.rows("SELECT name, email FROM users ORDER BY id"))).containsExactly(
                            "Ada|ada@example.com", "from v1|null", "v2, renamed by v1|v2@example.com");
                    assertThat(lines(v1.rows("SELECT name FROM users ORDER BY id")))
                            .containsExactly("Ada", "from v1", "v2, renamed by v1");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(lines(v1.rows("SELECT id, name FROM users"))).containsExactly("1|Ada");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "email");
                    assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) || ' notnull=' || attnotnull "
                            + "FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attname = 'email'"))
                            .isEqualTo("text notnull=false");
                    v2.execute("INSERT INTO users (name) VALUES ('after complete')");
                    assertThat(lines(v2.rows("SELECT name, email FROM users ORDER BY id")))
                            .containsExactly("Ada|ada@example.com", "after complete|null");
                });
    }

    @Test
    void constantDefaultFillsExistingRowsAndInsertsOfBothVersionsWithoutRewritingTheTable() throws Exception {
        String filenode = db.queryString("SELECT pg_relation_filenode('public.users')");
        lifecycle.run("02_add_status", """
                operations:
                  - add_column:
                      table: users
                      column: {name: status, type: text, nullable: true, default: "'active'"}
                """,
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT pg_relation_filenode('public.users')")).as("no rewrite").isEqualTo(filenode);
                    assertThat(db.queryStrings("SELECT a.attname || ' ' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                            + "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = '" + v2.schema()
                            + ".users'::regclass ORDER BY a.attnum"))
                            .as("the new version's view declares its defaults").containsExactly(
                                    "id nextval('users_id_seq'::regclass)", "status 'active'::text");
                    assertThat(v1.columns("users")).containsExactly("id", "name");
                    v1.execute("INSERT INTO users (name) VALUES ('from v1')");
                    v2.execute("INSERT INTO users (name) VALUES ('from v2, status left out')");
                    v2.execute("INSERT INTO users (name, status) VALUES ('from v2, banned', 'banned')");
                    v2.execute("INSERT INTO users (name, status) VALUES ('from v2, null', NULL)");
                    assertThat(lines(v2.rows("SELECT name, status FROM users ORDER BY id"))).containsExactly(
                            "Ada|active", "from v1|active", "from v2, status left out|active", "from v2, banned|banned",
                            "from v2, null|null");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name"),
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a "
                            + "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                            + "WHERE d.adrelid = 'public.users'::regclass AND a.attname = 'status'")).isEqualTo("'active'::text");
                    v2.execute("INSERT INTO users (name) VALUES ('after complete')");
                    assertThat(lines(v2.rows("SELECT name, status FROM users ORDER BY id")))
                            .containsExactly("Ada|active", "after complete|active");
                });
    }

    @Test
    void notNullColumnWithDefaultAcceptsOldVersionInsertsAndRefusesNullFromTheNew() throws Exception {
        lifecycle.run("02_add_score", """
                operations:
                  - add_column:
                      table: users
                      column: {name: score, type: integer, default: "0"}
                """,
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT attnotnull FROM pg_attribute "
                            + "WHERE attrelid = 'public.users'::regclass AND attname = 'score'")).isEqualTo("t");
                    v1.execute("INSERT INTO users (name) VALUES ('from v1')");
                    v1.execute("UPDATE users SET name = 'from v1, updated' WHERE name = 'from v1'");
                    v2.execute("INSERT INTO users (name, score) VALUES ('from v2', 7)");
                    assertFailsWith("23502", () -> v2.execute("INSERT INTO users (name, score) VALUES ('null score', NULL)"));
                    assertThat(lines(v2.rows("SELECT name, score FROM users ORDER BY id")))
                            .containsExactly("Ada|0", "from v1, updated|0", "from v2|7");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name"),
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT attnotnull || ' ' || pg_get_expr(adbin, adrelid) FROM pg_attribute a "
                            + "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                            + "WHERE a.attrelid = 'public.users'::regclass AND a.attname = 'score'")).isEqualTo("true 0");
                    assertFailsWith("23502", () -> v2.execute("UPDATE users SET score = NULL"));
                });
    }

    @Test
    void uniqueColumnGetsAConstraintBuiltOnAConcurrentIndex() throws Exception {
        lifecycle.run("02_add_unique_email", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text, nullable: true, unique: true}
                """,
                (v1, v2) -> {
                    assertUniqueConstraintOnEmail();
                    v1.execute("INSERT INTO users (name) VALUES ('v1 one'), ('v1 two')");
                    v2.execute("INSERT INTO users (name, email) VALUES ('Grace', 'grace@example.com')");
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO users (name, email) VALUES ('copy', 'grace@example.com')"));
                    assertFailsWith("23505", () -> v2.execute("UPDATE users SET email = 'grace@example.com' WHERE name = 'Ada'"));
                    assertThat(lines(v2.rows("SELECT name, email FROM users ORDER BY id")))
                            .containsExactly("Ada|null", "v1 one|null", "v1 two|null", "Grace|grace@example.com");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(constraints(db, "users")).containsExactly("users_pkey");
                    assertThat(indexes(db, "users")).containsExactly("users_pkey");
                },
                (v1, v2) -> {
                    assertUniqueConstraintOnEmail();
                    v2.execute("INSERT INTO users (name, email) VALUES ('Grace', 'grace@example.com')");
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO users (name, email) VALUES ('copy', 'grace@example.com')"));
                });
    }

    private void assertUniqueConstraintOnEmail() {
        assertThat(constraints(db, "users")).containsExactly("users_email_key", "users_pkey");
        assertThat(db.queryString("SELECT k.contype::text || ' ' || pg_get_constraintdef(k.oid) || ' valid=' || i.indisvalid "
                + "|| ' index=' || k.conindid::regclass FROM pg_constraint k JOIN pg_index i ON i.indexrelid = k.conindid "
                + "WHERE k.conrelid = 'public.users'::regclass AND k.conname = 'users_email_key'"))
                .isEqualTo("u UNIQUE (email) valid=true index=users_email_key");
    }

    @Test
    void checkIsAddedNotValidAndValidatedAtComplete() throws Exception {
        lifecycle.run("02_add_age", """
                operations:
                  - add_column:
                      table: users
                      column:
                        name: age
                        type: integer
                        nullable: true
                        check: {name: users_age_positive, constraint: "age > 0"}
                """,
                (v1, v2) -> {
                    assertThat(checkFacts()).isEqualTo("CHECK ((age > 0)) NOT VALID validated=false");
                    v1.execute("INSERT INTO users (name) VALUES ('from v1')");
                    v2.execute("INSERT INTO users (name, age) VALUES ('Grace', 36)");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO users (name, age) VALUES ('unborn', 0)"));
                    assertFailsWith("23514", () -> v2.execute("UPDATE users SET age = -1 WHERE name = 'Ada'"));
                    assertThat(lines(v2.rows("SELECT name, age FROM users ORDER BY id")))
                            .containsExactly("Ada|null", "from v1|null", "Grace|36");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(constraints(db, "users")).containsExactly("users_pkey");
                },
                (v1, v2) -> {
                    assertThat(checkFacts()).isEqualTo("CHECK ((age > 0)) validated=true");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO users (name, age) VALUES ('unborn', 0)"));
                });
    }

    private String checkFacts() {
        return db.queryString("SELECT pg_get_constraintdef(oid) || ' validated=' || convalidated FROM pg_constraint "
                + "WHERE conrelid = 'public.users'::regclass AND conname = 'users_age_positive' AND contype = 'c'");
    }

    @Test
    void foreignKeyIsAddedNotValidWithItsOnDeleteActionAndValidatedAtComplete() throws Exception {
        lifecycle.run("02_add_team", """
                operations:
                  - add_column:
                      table: users
                      column:
                        name: team_id
                        type: integer
                        nullable: true
                        references: {name: users_team_fk, table: teams, column: id, on_delete: CASCADE}
                """,
                (v1, v2) -> {
                    assertThat(foreignKeyFacts()).isEqualTo("FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE CASCADE NOT VALID validated=false");
                    v2.execute("INSERT INTO users (name, team_id) VALUES ('Grace', 2)");
                    assertFailsWith("23503", () -> v2.execute("INSERT INTO users (name, team_id) VALUES ('lost', 99)"));
                    assertThat(lines(v1.rows("SELECT name FROM users ORDER BY id"))).containsExactly("Ada", "Grace");
                    v1.execute("DELETE FROM teams WHERE name = 'ops'");
                    assertThat(lines(v1.rows("SELECT name FROM users ORDER BY id"))).as("cascaded").containsExactly("Ada");
                    v1.execute("INSERT INTO teams (id, name) VALUES (2, 'ops')");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(constraints(db, "users")).containsExactly("users_pkey");
                    assertThat(db.queryString("SELECT count(*) FROM pg_constraint WHERE confrelid = 'public.teams'::regclass"))
                            .isEqualTo("0");
                },
                (v1, v2) -> {
                    assertThat(foreignKeyFacts()).isEqualTo("FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE CASCADE validated=true");
                    v2.execute("INSERT INTO users (name, team_id) VALUES ('Grace', 1)");
                    v2.execute("DELETE FROM teams WHERE name = 'core'");
                    assertThat(lines(v2.rows("SELECT name, team_id FROM users ORDER BY id"))).containsExactly("Ada|null");
                });
    }

    private String foreignKeyFacts() {
        return db.queryString("SELECT pg_get_constraintdef(oid) || ' validated=' || convalidated FROM pg_constraint "
                + "WHERE conrelid = 'public.users'::regclass AND conname = 'users_team_fk' AND contype = 'f'");
    }

    @Test
    void commentIsSetOnTheTableColumnAndGoesWithItAtRollback() throws Exception {
        lifecycle.run("02_add_nickname", """
                operations:
                  - add_column:
                      table: users
                      column: {name: nickname, type: text, nullable: true, comment: "what friends call them"}
                """,
                (v1, v2) -> {
                    assertThat(nicknameComment()).isEqualTo("what friends call them");
                    v2.execute("UPDATE users SET nickname = 'Countess' WHERE name = 'Ada'");
                    v1.execute("UPDATE users SET name = 'Ada L.'");
                    assertThat(lines(v2.rows("SELECT name, nickname FROM users"))).containsExactly("Ada L.|Countess");
                    v1.execute("UPDATE users SET name = 'Ada'");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(db.queryString("SELECT count(*) FROM pg_description "
                            + "WHERE objoid = 'public.users'::regclass AND classoid = 'pg_class'::regclass")).isEqualTo("0");
                },
                (v1, v2) -> {
                    assertThat(nicknameComment()).isEqualTo("what friends call them");
                    assertThat(lines(v2.rows("SELECT name, nickname FROM users"))).containsExactly("Ada|Countess");
                });
    }

    private String nicknameComment() {
        return db.queryString("SELECT col_description('public.users'::regclass, attnum) FROM pg_attribute "
                + "WHERE attrelid = 'public.users'::regclass AND attname = 'nickname'");
    }

    @Test
    void foreignKeyMayReferenceATableAndColumnRenamedEarlierInTheSameMigration() throws Exception {
        lifecycle.run("02_squads", """
                operations:
                  - rename_table: {from: teams, to: squads}
                  - rename_column: {table: squads, from: id, to: squad_id}
                  - add_column:
                      table: users
                      column:
                        name: squad
                        type: integer
                        nullable: true
                        references: {name: users_squad_fkey, table: squads, column: squad_id}
                """,
                (v1, v2) -> {
                    v2.execute("UPDATE users SET squad = (SELECT squad_id FROM squads WHERE name = 'ops')");
                    assertThat(v2.rows("SELECT s.name FROM users u JOIN squads s ON s.squad_id = u.squad"))
                            .extracting(r -> r.get("name")).containsExactly("ops");
                    assertFailsWith("23503", () -> v2.execute("UPDATE users SET squad = 99"));
                    v2.execute("UPDATE users SET squad = NULL");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name"),
                (v1, v2) -> assertThat(db.queryString("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                        + "WHERE conname = 'users_squad_fkey'")).isEqualTo("FOREIGN KEY (squad) REFERENCES squads(squad_id)"));
    }

    @Test
    void addedColumnCanBeRenamedInTheSameMigration() throws Exception {
        lifecycle.run("02_add_then_rename", """
                operations:
                  - add_column:
                      table: users
                      column: {name: nickname, type: text, nullable: true}
                  - rename_column: {table: users, from: nickname, to: alias}
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name");
                    assertThat(v2.columns("users")).containsExactly("id", "name", "alias");
                    v2.execute("INSERT INTO users (name, alias) VALUES ('Grace', 'Amazing Grace')");
                    v1.execute("UPDATE users SET name = 'Grace H.' WHERE name = 'Grace'");
                    assertThat(lines(v2.rows("SELECT name, alias FROM users ORDER BY id")))
                            .containsExactly("Ada|null", "Grace H.|Amazing Grace");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "alias");
                    v2.execute("INSERT INTO users (name, alias) VALUES ('Grace', 'Amazing Grace')");
                    assertThat(db.queryStrings("SELECT alias FROM public.users ORDER BY id")).containsExactly(null, "Amazing Grace");
                });
    }

    @Test
    void columnWithDefaultCanBeAddedToATableCreatedEarlierInTheSameMigration() throws Exception {
        lifecycle.run("02_tags", """
                operations:
                  - create_table:
                      name: tags
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: label, type: text}
                  - add_column:
                      table: tags
                      column: {name: color, type: text, default: "'grey'"}
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("tags")).as("the old version has no tags view").isEmpty();
                    assertThat(v2.columns("tags")).containsExactly("id", "label", "color");
                    v2.execute("INSERT INTO tags (label) VALUES ('plain')");
                    v2.execute("INSERT INTO tags (label, color) VALUES ('alert', 'red')");
                    assertThat(lines(v2.rows("SELECT label, color FROM tags ORDER BY id"))).containsExactly("plain|grey", "alert|red");
                    v2.execute("DELETE FROM tags");
                },
                (v1, v2) -> assertThat(db.queryString("SELECT to_regclass('public.tags')")).isNull(),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "tags")).containsExactly("id", "label", "color");
                    v2.execute("INSERT INTO tags (label) VALUES ('plain')");
                    assertThat(lines(v2.rows("SELECT label, color FROM tags"))).containsExactly("plain|grey");
                });
    }

    @Test
    void notNullWithoutDefaultIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text}
                """, ErrorCode.INVALID_MIGRATION, "\"email\"", "NOT NULL without a default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"random()", "clock_timestamp()", "gen_random_uuid()::text"})
    void volatileDefaultWithoutUpIsRefused(String volatileDefault) {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - add_column:
                      table: users
                      column: {name: token, type: text, nullable: true, default: "%s"}
                """.formatted(volatileDefault), ErrorCode.INVALID_MIGRATION, "\"token\"", volatileDefault, "volatile");
    }

    @Test
    void nowIsStableNotVolatileSoItIsAcceptedAsACatalogOnlyDefault() {
        var report = lifecycle.accordion().validate(MigrationReader.parseYaml("02_created_at", """
                operations:
                  - add_column:
                      table: users
                      column: {name: created_at, type: timestamptz, default: "now()"}
                """));
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void existingColumnNameIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - add_column:
                      table: users
                      column: {name: name, type: text, nullable: true}
                """, ErrorCode.INVALID_MIGRATION, "table \"users\" already has a column named \"name\"");
    }

    @Test
    void unknownTableIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - add_column:
                      table: people
                      column: {name: email, type: text, nullable: true}
                """, ErrorCode.INVALID_MIGRATION, "table \"people\" does not exist");
    }

    @Test
    void checkWithoutANameIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - add_column:
                      table: users
                      column: {name: age, type: integer, nullable: true, check: {constraint: "age > 0"}}
                """, ErrorCode.INVALID_MIGRATION, "the field \"column.check.name\" is required");
    }

    @Test
    void columnDroppedEarlierInTheSameMigrationCannotBeAddedAgainUnderItsName() {
        lifecycle.given("02_bio", """
                operations:
                  - add_column:
                      table: users
                      column: {name: bio, type: text, nullable: true}
                """);
        assertRefused(db, lifecycle, "03_bad", """
                operations:
                  - drop_column: {table: users, column: bio}
                  - add_column:
                      table: users
                      column: {name: bio, type: jsonb, nullable: true}
                """, ErrorCode.INVALID_MIGRATION, "column \"bio\" still exists in table \"users\" until the migration that drops it completes");
    }

    @Test
    void foreignKeyToAnUnknownColumnIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - add_column:
                      table: users
                      column:
                        name: team_code
                        type: text
                        nullable: true
                        references: {name: users_team_fk, table: teams, column: code}
                """, ErrorCode.INVALID_MIGRATION, "column \"code\" does not exist in table \"teams\"");
    }
}
