package dev.accordion;

import dev.accordion.migration.DropColumn;
import dev.accordion.migration.DropIndex;
import dev.accordion.migration.Migration;
import dev.accordion.migration.Operation;
import dev.accordion.schema.Index;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The indexes that a migration's complete drops from tables that stay, by name: a drop_index's, and those on a column a
 * drop_column removes. Until complete the old version's queries may still use them. A table drop_table removes takes
 * its indexes with it, but only the old version sees that table: the client watch is its check.
 */
final class DroppedIndexes {

    private DroppedIndexes() {
    }

    static List<String> of(Migration migration, SchemaSnapshot before) {
        Set<String> dropped = new LinkedHashSet<>();
        SchemaSnapshot schema = before;
        for (Operation operation : migration.operations()) {
            if (operation instanceof DropIndex drop) {
                dropped.add(drop.name().name());
            } else if (operation instanceof DropColumn drop) {
                schema.table(drop.table()).map(Table::indexes).orElse(List.of()).stream()
                        .filter(index -> index.columns().contains(drop.column())).map(Index::name)
                        .forEach(name -> dropped.add(name.name()));
            }
            schema = schema.apply(operation, new Problems());
        }
        return List.copyOf(dropped);
    }
}
