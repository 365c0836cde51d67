package dev.accordion.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.migration.Operation;
import dev.accordion.sql.Identifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaSnapshotTest {

    private static final SchemaSnapshot USERS = new SchemaSnapshot(List.of(Table.of(Identifier.of("users"),
            List.of(Column.of(Identifier.of("id"), "integer", false), Column.of(Identifier.of("name"), "text", false)))));

    private static SchemaSnapshot apply(SchemaSnapshot schema, String yaml, Problems problems) {
        Migration migration = MigrationReader.parseYaml("m", yaml);
        for (Operation operation : migration.operations()) {
            schema = schema.apply(operation, problems);
        }
        return schema;
    }

    @Test
    void laterOperationsSeeEarlierOnesAndRenamesKeepThePhysicalName() {
        Problems problems = new Problems();
        SchemaSnapshot after = apply(USERS, """
                operations:
                  - rename_table: {from: users, to: people}
                  - rename_column: {table: people, from: name, to: full_name}
                """, problems);
        assertThat(problems.messages()).isEmpty();
        Table people = after.table(Identifier.of("people")).orElseThrow();
        assertThat(people.physicalName()).isEqualTo(Identifier.of("users"));
        Column fullName = people.column(Identifier.of("full_name")).orElseThrow();
        assertThat(fullName.physicalName()).isEqualTo(Identifier.of("name"));
        assertThat(after.settled().table(Identifier.of("people")).orElseThrow().physicalName()).isEqualTo(Identifier.of("people"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Problems problems = new Problems();
        apply(USERS, """
                operations:
                  - rename_column: {table: nope, from: a, to: b}
                  - drop_column: {table: users, column: zzz}
                  - rename_column: {table: users, from: id, to: name}
                  - create_table: {name: users, columns: [{name: id, type: int}]}
                """, problems);
        assertThat(problems.messages()).containsExactly(
                "table \"nope\" does not exist (tables: \"users\")",
                "column \"zzz\" does not exist in table \"users\" (columns: \"id\", \"name\")",
                "table \"users\" already has a column named \"name\"; choose another name",
                "a table or index named \"users\" already exists; choose another name");
    }

    @Test
    void aRenamedColumnsOldNameStaysTakenUntilComplete() {
        Problems problems = new Problems();
        apply(USERS, """
                operations:
                  - rename_column: {table: users, from: name, to: full_name}
                  - add_column: {table: users, column: {name: name, type: text, nullable: true}}
                """, problems);
        assertThat(problems.messages()).containsExactly("table \"users\" already has a column named \"name\"; choose another name");
    }
}
