package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.DropTable;
import dev.accordion.plan.LockClaim;
import dev.accordion.postgres.GeneratedNames;
import dev.accordion.postgres.Locks;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The table is renamed aside at start, so its name is free in the new version while the old
 * version's views (which reference it by oid) keep working; dropped at complete, renamed back at rollback.
 */
final class DropTablePlanner implements OperationPlanner<DropTable> {

    @Override
    public void plan(DropTable op, OperationContext context) {
        Table table = context.tableBefore(op.name());
        QualifiedName physical = context.physical(table);
        Identifier aside = GeneratedNames.deletedTable(table.physicalName());
        QualifiedName asideName = context.qualified(aside);
        context.start().inTransaction("rename-aside", "rename table " + SQL.quote(physical) + " aside to " + SQL.quote(aside),
                List.of(Locks.accessExclusive(physical)), SQL.format("ALTER TABLE {} RENAME TO {}", physical, aside));
        List<LockClaim> dropLocks = Stream.concat(Stream.of(Locks.accessExclusive(asideName)),
                referencedTables(table, constraint -> true, context).stream().map(Locks::accessExclusive)).toList();
        context.complete().inTransaction("drop", "drop table " + SQL.quote(asideName),
                dropLocks, SQL.format("DROP TABLE IF EXISTS {}", asideName));
        context.rollback().inTransaction("rename-back", "rename table " + SQL.quote(asideName) + " back to " + SQL.quote(table.physicalName()),
                List.of(Locks.accessExclusive(asideName)), SQL.format("ALTER TABLE IF EXISTS {} RENAME TO {}", asideName, table.physicalName()));
    }

    /**
     * The other tables that the table's foreign keys (those {@code which} selects) reference:
     * dropping a foreign key takes ACCESS EXCLUSIVE on them too, however briefly.
     */
    static List<QualifiedName> referencedTables(Table table, Predicate<Constraint> which, OperationContext context) {
        return table.constraints().stream()
                .filter(c -> c.type() == ConstraintType.FOREIGN_KEY && which.test(c))
                .flatMap(c -> c.referencedTable().stream())
                .filter(name -> !name.equals(table.name()) && !name.equals(table.physicalName()))
                .map(name -> context.before().table(name).map(context::physical).orElseGet(() -> context.qualified(name)))
                .distinct().toList();
    }
}
