package dev.accordion.migration;

import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Index;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public record SetReplicaIdentity(Identifier table, Identity identity) implements Operation {

    /** {@code type} is one of default, full, nothing, index; {@code index} names the index for type index. */
    public record Identity(String type, Identifier index) {
    }

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(identity, "identity", problems);
        Optional<Table> target = named ? Require.table(before, table, problems) : Optional.empty();
        if (target.isEmpty() || !Require.present(identity.type(), "identity.type", problems)) {
            return before;
        }
        String type = identity.type().toLowerCase();
        if (!Set.of("default", "full", "nothing", "index").contains(type)) {
            problems.add("replica identity type \"" + identity.type() + "\" is unknown (types: default, full, index, nothing)");
        } else if (type.equals("index")) {
            if (Require.present(identity.index(), "identity.index", problems)) {
                checkIndex(target.get(), problems);
            }
        } else if (identity.index() != null) {
            problems.add("identity.index is only allowed with type index");
        }
        return before;
    }

    /** PostgreSQL takes only a unique index on NOT NULL columns (and refuses it at start otherwise, after validation). */
    private void checkIndex(Table target, Problems problems) {
        Optional<Index> index = target.index(identity.index());
        Optional<Constraint> constraint = target.constraint(identity.index()).filter(Constraint::hasIndex);
        if (index.isEmpty() && constraint.isEmpty()) {
            problems.add("index \"" + identity.index() + "\" does not exist on table \"" + table + "\""
                    + Require.known("indexes", target.indexes().stream().map(Index::name).toList()));
            return;
        }
        boolean unique = index.map(Index::unique).orElseGet(() -> constraint.get().type() != ConstraintType.EXCLUDE);
        if (!unique) {
            problems.add("index \"" + identity.index() + "\" is not unique; a replica identity index must be unique, "
                    + "not partial, and cover NOT NULL columns only");
            return;
        }
        List<Identifier> nullable = index.map(Index::columns).orElseGet(() -> constraint.get().columns()).stream()
                .filter(name -> target.column(name).map(Column::nullable).orElse(false)).toList();
        if (!nullable.isEmpty()) {
            problems.add("index \"" + identity.index() + "\" covers nullable column(s) " + Require.list(nullable)
                    + "; a replica identity index must cover NOT NULL columns only");
        }
    }
}
