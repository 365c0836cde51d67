package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's first scenario: users.name becomes full_name while both versions read and write. */
class RenameColumnLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @Test
    void bothVersionsReadAndWriteWhileTheColumnIsRenamed() throws Exception {
        Lifecycle lifecycle = new Lifecycle(db);
        lifecycle.given("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                        - {name: email, type: text, nullable: true}
                """);
        lifecycle.version("01_users").execute("INSERT INTO users (name, email) VALUES ('Ada', 'ada@example.com')");

        lifecycle.run("02_rename", """
                operations:
                  - rename_column: {table: users, from: name, to: full_name}
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name", "email");
                    assertThat(v2.columns("users")).containsExactly("id", "full_name", "email");
                    v1.execute("INSERT INTO users (name) VALUES ('from v1')");
                    v2.execute("INSERT INTO users (full_name) VALUES ('from v2')");
                    v2.execute("UPDATE users SET full_name = 'Ada L.' WHERE full_name = 'Ada'");
                    assertThat(v1.rows("SELECT name FROM users ORDER BY id"))
                            .extracting(r -> r.get("name")).containsExactly("Ada L.", "from v1", "from v2");
                    assertThat(v2.rows("SELECT full_name FROM users ORDER BY id"))
                            .extracting(r -> r.get("full_name")).containsExactly("Ada L.", "from v1", "from v2");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada L.'");
                    v1.execute("UPDATE users SET name = 'Ada' WHERE id = 1");
                },
                (v1, v2) -> {
                    assertThat(v1.rows("SELECT id, name FROM users")).containsExactly(Map.of("id", 1, "name", "Ada"));
                    assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                            + "WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position"))
                            .containsExactly("id", "name", "email");
                },
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                            + "WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position"))
                            .containsExactly("id", "full_name", "email");
                    assertThat(v2.rows("SELECT full_name FROM users ORDER BY id")).extracting(r -> r.get("full_name"))
                            .containsExactly("Ada");
                    v2.execute("INSERT INTO users (full_name) VALUES ('after complete')");
                    assertThat(db.queryStrings("SELECT full_name FROM public.users ORDER BY id")).isEqualTo(List.of("Ada", "after complete"));
                });
    }
}
