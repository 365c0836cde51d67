package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
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
            if (Require.present(identity.index(), "identity.index", problems)
                    && target.get().index(identity.index()).isEmpty()
                    && target.get().constraint(identity.index()).filter(c -> c.hasIndex()).isEmpty()) {
                problems.add("index \"" + identity.index() + "\" does not exist on table \"" + table + "\"");
            }
        } else if (identity.index() != null) {
            problems.add("identity.index is only allowed with type index");
        }
        return before;
    }
}
