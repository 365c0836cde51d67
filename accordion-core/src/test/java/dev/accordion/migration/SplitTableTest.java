package dev.accordion.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What split_table does to the logical schema: the source loses the moved columns, the new table appears. */
class SplitTableTest {

    private static final SchemaSnapshot USERS = new SchemaSnapshot(List.of(new Table(id("users"), id("users"), List.of(
            Column.of(id("id"), "bigint", false), Column.of(id("name"), "text", false),
            new Column(id("address_city"), id("address_city"), "character varying(80)", true, Optional.of("'Oslo'::character varying"),
                    Optional.of("where"), Column.Generation.NONE),
            Column.of(id("address_street"), "text", true)),
            List.of(new Constraint(id("users_pkey"), ConstraintType.PRIMARY_KEY, List.of(id("id")), Optional.empty())),
            List.of(), Optional.empty())));

    @Test
    void theNewVersionSeesTheSourceWithoutTheMovedColumnsAndTheNewTable() {
        Problems problems = new Problems();
        SchemaSnapshot after = apply(USERS, """
                operations:
                  - split_table:
                      table: users
                      into: addresses
                      key: user_id
                      columns: {address_street: street, address_city: city}
                """, problems);

        assertThat(problems.messages()).isEmpty();
        assertThat(after.table(id("users")).orElseThrow().columns()).extracting(Column::name).containsExactly(id("id"), id("name"));
        Table addresses = after.table(id("addresses")).orElseThrow();
        assertThat(addresses.columns()).containsExactly(
                new Column(id("user_id"), id("user_id"), "bigint", false, Optional.empty(), Optional.empty(), Column.Generation.NONE),
                new Column(id("street"), id("street"), "text", true, Optional.empty(), Optional.empty(), Column.Generation.NONE),
                new Column(id("city"), id("city"), "character varying(80)", true, Optional.of("'Oslo'::character varying"),
                        Optional.of("where"), Column.Generation.NONE));
        assertThat(addresses.constraints()).containsExactly(
                new Constraint(id("addresses_pkey"), ConstraintType.PRIMARY_KEY, List.of(id("user_id")), Optional.empty()),
                new Constraint(id("addresses_user_id_fkey"), ConstraintType.FOREIGN_KEY, List.of(id("user_id")), Optional.of(id("users"))));
    }

    @Test
    void columnsRenamedEarlierMoveUnderTheirNewNames() {
        Problems problems = new Problems();
        SchemaSnapshot after = apply(USERS, """
                operations:
                  - rename_column: {table: users, from: address_city, to: town}
                  - split_table: {table: users, into: places, key: user_id, columns: {town: town}}
                """, problems);

        assertThat(problems.messages()).isEmpty();
        assertThat(after.table(id("users")).orElseThrow().column(id("town"))).isEmpty();
        assertThat(after.table(id("places")).orElseThrow().column(id("town")).orElseThrow().type()).isEqualTo("character varying(80)");
    }

    @Test
    void missingFieldsAndAnEmptyColumnListAreProblems() {
        Problems problems = new Problems();
        SchemaSnapshot after = apply(USERS, """
                operations:
                  - split_table: {table: users, columns: {}}
                """, problems);

        assertThat(problems.messages()).containsExactly("the field \"into\" is required", "the field \"key\" is required");
        assertThat(after).isEqualTo(USERS);
        Problems empty = new Problems();
        apply(USERS, "operations:\n  - split_table: {table: users, into: a, key: user_id, columns: {}}\n", empty);
        assertThat(empty.messages()).containsExactly("split_table of table \"users\" moves no columns; name at least one in \"columns\"");
    }

    private static SchemaSnapshot apply(SchemaSnapshot schema, String yaml, Problems problems) {
        for (Operation operation : MigrationReader.parseYaml("m", yaml).operations()) {
            schema = schema.apply(operation, problems);
        }
        return schema;
    }

    private static Identifier id(String name) {
        return Identifier.of(name);
    }
}
