package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * set_replica_identity: applied at start, kept by complete, and, as documented (like pgroll), not
 * undone by rollback. Clients of both versions are unaffected.
 */
class SetReplicaIdentityLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void usersWithIndexes() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: email, type: text}
                        - {name: name, type: text, nullable: true}
                """);
        db.execute("CREATE UNIQUE INDEX users_email_uidx ON public.users (email)",
                "CREATE UNIQUE INDEX users_name_uidx ON public.users (name)",
                "CREATE INDEX users_name_idx ON public.users (name)");
        lifecycle.version("01_users").execute("INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada')");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"default, d", "full, f", "nothing, n", "FULL, f"})
    void typeIsSetAtStartAndKeptByRollbackAndComplete(String type, String relreplident) throws Exception {
        db.execute("ALTER TABLE public.users REPLICA IDENTITY USING INDEX users_email_uidx");
        Lifecycle.Checks identityIsSet = (v1, v2) -> {
            assertThat(replicaIdentity()).isEqualTo(relreplident);
            assertThat(indexesMarkedAsIdentity()).isEmpty();
        };
        lifecycle.run("02_identity", """
                operations:
                  - set_replica_identity: {table: users, identity: {type: %s}}
                """.formatted(type),
                (v1, v2) -> {
                    identityIsSet.check(v1, v2);
                    assertBothVersionsWrite(v1, v2);
                },
                identityIsSet, identityIsSet);
    }

    @Test
    void uniqueIndexOnNotNullColumnsBecomesTheIdentity() throws Exception {
        Lifecycle.Checks identityIsTheIndex = (v1, v2) -> {
            assertThat(replicaIdentity()).isEqualTo("i");
            assertThat(indexesMarkedAsIdentity()).isEqualTo("users_email_uidx");
        };
        assertThat(replicaIdentity()).isEqualTo("d");
        lifecycle.run("02_identity", """
                operations:
                  - set_replica_identity: {table: users, identity: {type: index, index: users_email_uidx}}
                """,
                (v1, v2) -> {
                    identityIsTheIndex.check(v1, v2);
                    assertBothVersionsWrite(v1, v2);
                },
                identityIsTheIndex, identityIsTheIndex);
    }

    @Test
    void primaryKeyCanBeNamedAsTheIdentityIndex() throws Exception {
        Lifecycle.Checks identityIsThePrimaryKey = (v1, v2) -> {
            assertThat(replicaIdentity()).isEqualTo("i");
            assertThat(indexesMarkedAsIdentity()).isEqualTo("users_pkey");
        };
        lifecycle.run("02_identity", """
                operations:
                  - set_replica_identity: {table: users, identity: {type: index, index: users_pkey}}
                """, identityIsThePrimaryKey, identityIsThePrimaryKey, identityIsThePrimaryKey);
    }

    private static void assertBothVersionsWrite(VersionClient v1, VersionClient v2) throws Exception {
        v1.execute("INSERT INTO users (email) VALUES ('v1@example.com')");
        v2.execute("UPDATE users SET name = 'from v2' WHERE email = 'v1@example.com'");
        assertThat(lines(v1.rows("SELECT email, name FROM users ORDER BY id")))
                .containsExactly("ada@example.com|Ada", "v1@example.com|from v2");
        v2.execute("DELETE FROM users WHERE email = 'v1@example.com'");
    }

    private String replicaIdentity() {
        return db.queryString("SELECT relreplident FROM pg_class WHERE oid = 'public.users'::regclass");
    }

    private String indexesMarkedAsIdentity() {
        return String.join(",", db.queryStrings("SELECT indexrelid::regclass::text FROM pg_index "
                + "WHERE indrelid = 'public.users'::regclass AND indisreplident ORDER BY 1"));
    }

    @Test
    void unknownIndexIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - set_replica_identity: {table: users, identity: {type: index, index: users_phone_uidx}}
                """, ErrorCode.INVALID_MIGRATION, "index \"users_phone_uidx\" does not exist on table \"users\"");
    }

    @Test
    void nonUniqueIndexIsRefusedBeforeAnythingChanges() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - set_replica_identity: {table: users, identity: {type: index, index: users_name_idx}}
                """, ErrorCode.INVALID_MIGRATION, "index \"users_name_idx\" is not unique");
    }

    @Test
    void uniqueIndexOnANullableColumnIsRefusedBeforeAnythingChanges() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - set_replica_identity: {table: users, identity: {type: index, index: users_name_uidx}}
                """, ErrorCode.INVALID_MIGRATION, "index \"users_name_uidx\" covers nullable column(s) \"name\"");
    }

    @Test
    void unknownTypeIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - set_replica_identity: {table: users, identity: {type: partial}}
                """, ErrorCode.INVALID_MIGRATION, "replica identity type \"partial\" is unknown");
    }

    @Test
    void indexWithoutTypeIndexIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - set_replica_identity: {table: users, identity: {type: full, index: users_email_uidx}}
                """, ErrorCode.INVALID_MIGRATION, "identity.index is only allowed with type index");
    }
}
