package dev.accordion;

import dev.accordion.migration.Migration;
import dev.accordion.migration.Operation;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.spi.Capabilities;
import dev.accordion.spi.Dialect;
import dev.accordion.spi.PlanRequest;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Validation of a migration: each operation applied in order to the schema snapshot (later ones see
 * earlier ones), name lengths, then what only the live database can tell. Collects every problem.
 */
final class MigrationCheck {

    private final Dialect dialect;
    private final Capabilities capabilities;
    private final Duration lockTimeout;

    /** {@code lockTimeout}: how long a trial statement may wait for a lock, as long as a step of the phase may. */
    MigrationCheck(Dialect dialect, Capabilities capabilities, Duration lockTimeout) {
        this.dialect = dialect;
        this.capabilities = capabilities;
        this.lockTimeout = lockTimeout;
    }

    List<String> problems(Connection connection, PlanRequest request) throws SQLException {
        Problems problems = new Problems();
        Migration migration = request.migration();
        SchemaSnapshot schema = request.before();
        checkLength(request.newVersionSchema(), "version schema name", problems);
        int index = 0;
        for (Operation operation : migration.operations()) {
            Problems found = new Problems();
            IdentifierScan.of(operation).forEach(name -> checkLength(name, "name", found));
            schema = schema.apply(operation, found);
            problems.addAll("operation " + (++index) + " (" + operation.kind() + ")", found);
        }
        if (problems.isEmpty()) {
            dialect.setLockTimeout(connection, lockTimeout, false);
            dialect.validateAgainstDatabase(connection, request, problems);
        }
        return problems.messages();
    }

    SchemaSnapshot resultOf(SchemaSnapshot before, Migration migration) {
        SchemaSnapshot schema = before;
        for (Operation operation : migration.operations()) {
            schema = schema.apply(operation, new Problems());
        }
        return schema;
    }

    private void checkLength(Identifier name, String what, Problems problems) {
        if (name.byteLength() > capabilities.maxIdentifierBytes()) {
            problems.add(what + " \"" + name + "\" is " + name.byteLength() + " bytes long; "
                    + capabilities.product() + " allows at most " + capabilities.maxIdentifierBytes() + ": choose a shorter one");
        }
    }
}
