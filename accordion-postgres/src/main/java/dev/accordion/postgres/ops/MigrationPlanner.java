package dev.accordion.postgres.ops;

import dev.accordion.migration.AddColumn;
import dev.accordion.migration.AlterColumn;
import dev.accordion.migration.CreateConstraint;
import dev.accordion.migration.CreateIndex;
import dev.accordion.migration.CreateTable;
import dev.accordion.migration.DropColumn;
import dev.accordion.migration.DropConstraint;
import dev.accordion.migration.DropIndex;
import dev.accordion.migration.DropMultiColumnConstraint;
import dev.accordion.migration.DropTable;
import dev.accordion.migration.Operation;
import dev.accordion.migration.RawSql;
import dev.accordion.migration.RenameColumn;
import dev.accordion.migration.RenameConstraint;
import dev.accordion.migration.RenameTable;
import dev.accordion.migration.SetReplicaIdentity;
import dev.accordion.migration.SplitTable;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Plan;
import dev.accordion.plan.Step;
import dev.accordion.postgres.sync.Syncs;
import dev.accordion.postgres.sync.TableSync;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.spi.PlanRequest;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Plans a whole migration: each operation's steps in order, then the migration-wide parts. Start
 * ends with the new version schema; complete begins by dropping the old one (nothing may use the
 * old structure after that) and ends by settling names; rollback drops the new version schema,
 * then undoes the operations in reverse order.
 */
public final class MigrationPlanner {

    private static final Map<Class<? extends Operation>, OperationPlanner<? extends Operation>> PLANNERS = Map.ofEntries(
            Map.entry(CreateTable.class, new CreateTablePlanner()),
            Map.entry(DropTable.class, new DropTablePlanner()),
            Map.entry(RenameTable.class, new RenamePlanner()),
            Map.entry(RenameColumn.class, new RenamePlanner()),
            Map.entry(AddColumn.class, new AddColumnPlanner()),
            Map.entry(AlterColumn.class, new AlterColumnPlanner()),
            Map.entry(DropColumn.class, new DropColumnPlanner()),
            Map.entry(CreateIndex.class, new CreateIndexPlanner()),
            Map.entry(DropIndex.class, new DropIndexPlanner()),
            Map.entry(RenameConstraint.class, new RenameConstraintPlanner()),
            Map.entry(CreateConstraint.class, new CreateConstraintPlanner()),
            Map.entry(DropConstraint.class, DropConstraintPlanner.single()),
            Map.entry(DropMultiColumnConstraint.class, DropConstraintPlanner.multiColumn()),
            Map.entry(SetReplicaIdentity.class, new SetReplicaIdentityPlanner()),
            Map.entry(SplitTable.class, new SplitTablePlanner()),
            Map.entry(RawSql.class, new RawSqlPlanner()));

    private final BiFunction<Connection, Identifier, SchemaSnapshot> catalogReader;

    /** {@code catalogReader} reads the target schema when a step needs the catalog as it is (after user SQL). */
    public MigrationPlanner(BiFunction<Connection, Identifier, SchemaSnapshot> catalogReader) {
        this.catalogReader = catalogReader;
    }

    public static boolean supports(Operation operation) {
        return PLANNERS.containsKey(operation.getClass());
    }

    public Plan plan(PlanRequest request) {
        Identifier schema = request.schema();
        PhaseSteps start = new PhaseSteps(Phase.START);
        PhaseSteps complete = new PhaseSteps(Phase.COMPLETE);
        List<List<Step>> rollbacks = new ArrayList<>();
        SchemaSnapshot snapshot = request.before();
        Syncs syncs = new Syncs(request.before());
        AddedColumnFolding.Result folded = AddedColumnFolding.fold(request.migration().operations(), request.before());
        for (int i = 0; i < folded.operations().size(); i++) {
            if (folded.absorbed().contains(i)) {
                continue; // folded into an earlier add_column
            }
            Operation operation = folded.operations().get(i);
            String scope = (i + 1) + "-" + operation.kind();
            SchemaSnapshot after = snapshot.apply(operation, new Problems());
            PhaseSteps rollback = new PhaseSteps(Phase.ROLLBACK).scope(scope);
            planOne(operation, new OperationContext(schema, snapshot, after, start.scope(scope), complete.scope(scope), rollback, syncs));
            rollbacks.add(rollback.steps());
            snapshot = after;
        }
        boolean userSql = request.migration().hasRawSql();
        Optional<SchemaSnapshot> newVersion = userSql ? Optional.empty() : Optional.of(snapshot);
        boolean securityInvoker = request.capabilities().securityInvokerViews();
        Identifier newSchema = request.newVersionSchema();
        complete.replace(syncs.resolveColumnDrops());
        List<TableSync> tableSyncs = syncs.all(snapshot);
        SyncSteps.start(schema, newSchema, tableSyncs, start);

        start.scope("version");
        start.add(VersionSchemaSteps.create(start.id("create"), schema, newSchema, newVersion, securityInvoker,
                newVersionReader(request, snapshot)));

        List<Step> completeSteps = new ArrayList<>();
        PhaseSteps checks = new PhaseSteps(Phase.COMPLETE);
        SyncSteps.agreementChecks(schema, tableSyncs, checks);
        completeSteps.addAll(checks.steps());
        request.oldVersionSchema().ifPresent(old -> {
            PhaseSteps dropOld = new PhaseSteps(Phase.COMPLETE).scope("version");
            completeSteps.add(VersionSchemaSteps.drop(dropOld.id("drop-old"), old, viewNames(request.before())));
        });
        SyncSteps.complete(schema, newSchema, tableSyncs, complete);
        completeSteps.addAll(complete.steps());
        PhaseSteps finish = new PhaseSteps(Phase.COMPLETE);
        NameSettling.plan(schema, snapshot, finish);
        complete.stepsAfterNames().forEach(finish::add);
        SyncSteps.settled(tableSyncs, finish);
        List<String> sqlOnComplete = request.migration().operations().stream()
                .filter(op -> op instanceof RawSql sql && sql.runsOnComplete()).map(op -> ((RawSql) op).up().text()).toList();
        if (!sqlOnComplete.isEmpty()) {
            finish.scope("version");
            finish.add(VersionSchemaSteps.rebuildAround(finish.id("sql-on-complete"), schema, newSchema, viewNames(request.before()),
                    sqlOnComplete, securityInvoker, catalogReader));
        }
        completeSteps.addAll(finish.steps());

        List<Step> rollbackSteps = new ArrayList<>();
        PhaseSteps dropNew = new PhaseSteps(Phase.ROLLBACK).scope("version");
        rollbackSteps.add(VersionSchemaSteps.drop(dropNew.id("drop-new"), newSchema, viewNames(snapshot)));
        PhaseSteps removeSyncs = new PhaseSteps(Phase.ROLLBACK);
        SyncSteps.rollback(schema, newSchema, tableSyncs, removeSyncs);
        rollbackSteps.addAll(removeSyncs.steps());
        Collections.reverse(rollbacks);
        rollbacks.forEach(rollbackSteps::addAll);

        return new Plan(request.migration().name(), request.oldVersionSchema().map(Identifier::name).orElse(null), newSchema.name(),
                Map.of(Phase.START, start.steps(), Phase.COMPLETE, completeSteps, Phase.ROLLBACK, rollbackSteps));
    }

    /**
     * What the new version's views are read from once start's SQL has run: the catalog, and when the SQL runs among other
     * operations, their planned result too, since the catalog holds physical names until complete.
     */
    private BiFunction<Connection, Identifier, SchemaSnapshot> newVersionReader(PlanRequest request, SchemaSnapshot planned) {
        if (request.migration().operations().stream().allMatch(op -> op instanceof RawSql)) {
            return catalogReader;
        }
        return (connection, schema) -> SqlAmongOperations.newVersion(request.before(), planned, catalogReader.apply(connection, schema));
    }

    private static List<Identifier> viewNames(SchemaSnapshot snapshot) {
        return snapshot.tables().stream().map(Table::name).toList();
    }

    @SuppressWarnings("unchecked")
    private static <O extends Operation> void planOne(O operation, OperationContext context) {
        OperationPlanner<O> planner = (OperationPlanner<O>) PLANNERS.get(operation.getClass());
        if (planner == null) {
            throw new UnsupportedOperationException(operation.kind() + " is not supported yet by the PostgreSQL planner");
        }
        planner.plan(operation, context);
    }
}
