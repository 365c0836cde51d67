package dev.accordion;

import dev.accordion.execute.BackfillPolicy;
import dev.accordion.execute.BackfillThrottling;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.execute.Executor;
import dev.accordion.execute.RetryPolicy;
import dev.accordion.execute.StopSignal;
import dev.accordion.execute.Throttle;
import dev.accordion.migration.InvalidMigrationException;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationFingerprint;
import dev.accordion.migration.Release;
import dev.accordion.migration.ReleaseFile;
import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Plan;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.BackfillProgress;
import dev.accordion.spi.Capabilities;
import dev.accordion.spi.ConnectionSource;
import dev.accordion.spi.Dialect;
import dev.accordion.spi.IndexUse;
import dev.accordion.spi.Journal;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import dev.accordion.spi.PlanRequest;
import dev.accordion.spi.StateStore;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The library's entry point: one target schema of one database.
 *
 * <pre>{@code
 * Accordion accordion = Accordion.configure().dataSource(ds).schema("public").load();
 * accordion.start(MigrationReader.read(Path.of("02_rename.yaml")), false);
 * accordion.complete();
 * }</pre>
 */
public final class Accordion {

    private final ConnectionSource connections;
    private final Identifier schema;
    private final Identifier stateSchema;
    private final RetryPolicy retryPolicy;
    private final BackfillPolicy backfillPolicy;
    private final BackfillThrottling throttling;
    private final Duration runnerWait;
    private final Duration clientWatch;
    private final ExecutionListener listener;
    private final Dialect dialect;
    private final Capabilities capabilities;
    private final StateStore state;

    private Accordion(Builder builder) {
        this.connections = Objects.requireNonNull(builder.connections, "a data source is required");
        this.schema = builder.schema;
        this.stateSchema = builder.stateSchema;
        this.retryPolicy = builder.retryPolicy;
        this.backfillPolicy = builder.backfillPolicy;
        this.runnerWait = builder.runnerWait;
        this.clientWatch = builder.clientWatch;
        this.listener = builder.listener;
        try (Connection connection = Connections.open(connections)) {
            String product = connection.getMetaData().getDatabaseProductName();
            this.dialect = ServiceLoader.load(Dialect.class).stream().map(ServiceLoader.Provider::get)
                    .filter(d -> d.accepts(product)).findFirst()
                    .orElseThrow(() -> noDialectFor(product));
            this.capabilities = dialect.capabilities(connection);
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.CONNECTION, "cannot read the server's version: " + e.getMessage(), e);
        }
        this.state = dialect.stateStore(connections, stateSchema);
        List<Throttle> throttles = new ArrayList<>();
        if (builder.throttleOnLockWaiters) {
            dialect.lockWaitersThrottle().ifPresent(throttles::add);
        }
        throttles.addAll(builder.throttles);
        this.throttling = builder.throttling.withThrottles(throttles);
    }

    private static AccordionException noDialectFor(String product) {
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            return new AccordionException(ErrorCode.INTERNAL, "no PostgreSQL dialect on the class path: add the "
                    + "dev.accordion:accordion-postgres artifact (the CLI jar contains it; a custom build may have left it out)");
        }
        return new AccordionException(ErrorCode.USAGE, "Accordion does not support " + product
                + " yet; connect to a PostgreSQL 13 or newer server", Hint.CONNECTION_SETTINGS);
    }

    public static Builder configure() {
        return new Builder();
    }

    public Identifier schema() {
        return schema;
    }

    public Capabilities capabilities() {
        return capabilities;
    }

    /** Creates the state schema if it is missing. Safe to run any number of times. */
    public void init() {
        state.init();
    }

    /** Checks a migration against the schema it would start from, without changing anything. */
    public ValidationReport validate(Migration migration) {
        refuseIfStarted(migration, "validate");
        try (Connection connection = Connections.open(connections)) {
            PlanRequest request = request(connection, migration);
            List<String> problems = new ArrayList<>(new MigrationCheck(dialect, capabilities, retryPolicy.lockTimeout()).problems(connection, request));
            Optional<String> latestApplied = state.isInitialized() ? FilesCheck.latestApplied(state.history(schema)) : Optional.empty();
            if (latestApplied.isPresent() && migration.name().compareTo(latestApplied.get()) < 0) {
                problems.add(outOfOrder(migration.name(), latestApplied.get()).getMessage());
            }
            return new ValidationReport(migration.name(), problems);
        } catch (SQLException e) {
            throw databaseError("validating migration \"" + migration.name() + "\"", e);
        }
    }

    /** Every step of every phase of a migration, without changing anything. */
    public Plan plan(Migration migration) {
        refuseIfStarted(migration, "plan");
        try (Connection connection = Connections.open(connections)) {
            PlanRequest request = request(connection, migration);
            List<String> problems = new MigrationCheck(dialect, capabilities, retryPolicy.lockTimeout()).problems(connection, request);
            if (!problems.isEmpty()) {
                throw new InvalidMigrationException(migration.name(), problems);
            }
            return dialect.plan(request);
        } catch (SQLException e) {
            throw databaseError("planning migration \"" + migration.name() + "\"", e);
        }
    }

    /**
     * The indexes the migration's complete would drop (drop_index's, and those on a column drop_column removes), each with
     * the scans the server counted since its statistics were last reset: what {@code plan} and {@code validate} show.
     */
    public List<IndexUse> droppedIndexUse(Migration migration) {
        try (Connection connection = Connections.open(connections)) {
            List<String> dropped = DroppedIndexes.of(migration, request(connection, migration).before());
            return dropped.isEmpty() ? List.of() : dialect.indexUse(connection, schema, dropped);
        } catch (SQLException e) {
            throw databaseError("reading the scans of the indexes migration \"" + migration.name() + "\" drops", e);
        }
    }

    /** What a start does when an interrupted start's recorded copy of the migration differs from the file given now. */
    public enum EditedFile {
        /**
         * Take the file when the interrupted start changed nothing yet (its recorded copy is undone and forgotten);
         * refuse, naming every difference, once it has.
         */
        TAKE_IF_NOTHING_CHANGED,
        /** Go on with the copy recorded when the start began, whatever the file says now. */
        RESUME_RECORDED
    }

    /**
     * Starts a migration: expands the schema and creates the new version schema, so that both
     * versions work. Running it again after a crash continues where it stopped.
     */
    public PhaseResult start(Migration migration, boolean thenComplete) {
        return start(migration, thenComplete, EditedFile.TAKE_IF_NOTHING_CHANGED);
    }

    /** {@link #start(Migration, boolean)}, choosing what happens when an interrupted start recorded another version of the file. */
    public PhaseResult start(Migration migration, boolean thenComplete, EditedFile ifEdited) {
        return start(migration, thenComplete, ifEdited, CompleteOptions.SAFE);
    }

    /** {@link #start(Migration, boolean, EditedFile)}, completing (when asked) with the checks {@code completeOptions} asks for. */
    public PhaseResult start(Migration migration, boolean thenComplete, EditedFile ifEdited, CompleteOptions completeOptions) {
        return start(migration, List.of(), thenComplete, ifEdited, completeOptions);
    }

    /**
     * Starts a release: several files as one migration with one version schema, expanded, backfilled and verified
     * together; {@link #complete()} and {@link #rollback()} then act on all of it. The history keeps the release under
     * its last file's name and each file with its own checksum. Running it again after a crash continues where it
     * stopped, as for one file. Every file must be new to the history (see {@link #unappliedFiles}).
     */
    public PhaseResult start(Release release, boolean thenComplete) {
        return start(release, thenComplete, EditedFile.TAKE_IF_NOTHING_CHANGED, CompleteOptions.SAFE);
    }

    /** {@link #start(Release, boolean)}, choosing what an edited file means and the checks of complete, as for one file. */
    public PhaseResult start(Release release, boolean thenComplete, EditedFile ifEdited, CompleteOptions completeOptions) {
        return start(release.migration(), release.files(), thenComplete, ifEdited, completeOptions);
    }

    /**
     * Of {@code files}, those no complete migration or baseline of the history holds (a release's files count one by
     * one): what a directory given to start makes its release of. A migration still active is not left out, so that
     * starting the same files again resumes (or completes) it.
     */
    public List<Migration> unappliedFiles(List<Migration> files) {
        if (!state.isInitialized()) {
            return files;
        }
        Set<String> complete = state.history(schema).stream().filter(r -> !r.status().isActive())
                .flatMap(r -> r.fileNames().stream()).collect(Collectors.toSet());
        return files.stream().filter(file -> !complete.contains(file.name())).toList();
    }

    /** One file ({@code releaseFiles} empty) or a release, whose files' operations {@code migration} holds merged. */
    private PhaseResult start(Migration migration, List<ReleaseFile> releaseFiles, boolean thenComplete, EditedFile ifEdited,
                              CompleteOptions completeOptions) {
        ensureInitialized();
        PhaseResult result;
        try (RunnerSession session = RunnerSession.open(connections, dialect, schema, runnerWait)) {
            Optional<MigrationRecord> active = state.active(schema);
            if (active.isPresent()) {
                MigrationRecord record = active.get();
                if (!record.name().equals(migration.name())) {
                    throw new AccordionException(ErrorCode.STATE_CONFLICT, "migration \"" + record.name()
                            + "\" is in progress on schema \"" + schema + "\" (" + record.status().name().toLowerCase()
                            + "): complete it (\"accordion complete\") or roll it back (\"accordion rollback\") before starting \""
                            + migration.name() + "\"");
                }
                if (record.status() != MigrationStatus.STARTING) {
                    // run again after its complete failed, start --complete goes on completing
                    if (thenComplete && (record.status() == MigrationStatus.ACTIVE || record.status() == MigrationStatus.COMPLETING)) {
                        return completeIn(session, record, completeOptions);
                    }
                    throw new AccordionException(ErrorCode.STATE_CONFLICT, "migration \"" + record.name()
                            + "\" is already started on schema \"" + schema + "\" (" + record.status().name().toLowerCase()
                            + "); next: " + nextCommand(record));
                }
                result = runStart(session, recordToResume(session, record, migration, releaseFiles, ifEdited));
            } else {
                MigrationRecord record = begin(session.worker, migration, releaseFiles);
                result = runStart(session, record);
            }
            if (thenComplete) {
                try {
                    return completeIn(session, state.active(schema).orElseThrow(), completeOptions);
                } catch (AccordionException e) {
                    // The failure's own words ("nothing was changed") speak of complete, not of the start before it.
                    boolean completeChanged = state.active(schema).filter(r -> r.status() == MigrationStatus.COMPLETING)
                            .map(this::completeChangedSomething).orElse(false);
                    throw new AccordionException(e.code(), "migration \"" + result.migration() + "\" was started (version schema \""
                            + result.versionSchema().orElseThrow() + "\" serves the new version), but completing it failed "
                            + (completeChanged ? "part-way: the old version may be gone already, and the migration is still completing"
                                    : "before it changed anything, so clients of both versions keep working")
                            + ". What failed:\n" + e.getMessage(), e.hint().orElse(null), e);
                }
            }
        }
        return result;
    }

    /**
     * The record an interrupted start goes on with. A file edited since the start began (say, a mistyped column type
     * fixed after the start failed on it) must not be ignored in silence: while the start has changed nothing, the file
     * replaces the recorded copy; after that, only the operator can choose between rolling back and the recorded copy.
     */
    private MigrationRecord recordToResume(RunnerSession session, MigrationRecord record, Migration file,
                                           List<ReleaseFile> releaseFiles, EditedFile ifEdited) {
        List<String> differences = new ArrayList<>();
        List<String> given = releaseFiles.isEmpty() ? List.of(file.name()) : releaseFiles.stream().map(ReleaseFile::name).toList();
        if (!given.equals(record.fileNames())) {
            // the same operations from other files are still another release: the history would name the wrong files
            differences.add("files: " + String.join(", ", record.fileNames()) + " recorded, " + String.join(", ", given) + " given");
        }
        differences.addAll(MigrationFingerprint.differences(record.migration(), file));
        if (differences.isEmpty() || ifEdited == EditedFile.RESUME_RECORDED) {
            return record;
        }
        String listed = "\n  " + String.join("\n  ", differences);
        long changed = startStepsThatChangedSomething(record);
        if (changed > 0) {
            throw new AccordionException(ErrorCode.STATE_CONFLICT, "migration \"" + record.name() + "\" differs from the copy "
                    + "recorded when its start began, and that start has already run " + changed + (changed == 1 ? " step" : " steps")
                    + " of the recorded copy on schema \"" + schema + "\", so the file cannot take its place:" + listed
                    + "\nEither roll the start back (\"" + command("rollback") + "\") and start the file again, or finish the "
                    + "recorded copy as it is (start " + fileOf(record) + " again, resuming the recorded copy) and fix the rest in a new "
                    + "migration.", Hint.RESUME_RECORDED);
        }
        listener.decided(record.name(), "The file of migration \"" + record.name() + "\" differs from the copy its interrupted "
                + "start recorded, and that start changed nothing, so the file takes its place:" + listed);
        runPhase(session, record, Phase.ROLLBACK);
        forget(record);
        return begin(session.worker, file, releaseFiles);
    }

    /** How many of a start's finished steps changed the database (not only checked it). */
    private long startStepsThatChangedSomething(MigrationRecord record) {
        Set<StepId> done = state.journal(schema, record.name(), Phase.START).finished();
        return dialect.plan(planRequestOf(record)).steps(Phase.START).stream()
                .filter(step -> !step.checksOnly() && done.contains(step.id())).count();
    }

    /** Removes a rolled-back migration from the state store, keeping the journal of start steps that rollback leaves. */
    private void forget(MigrationRecord record) {
        Set<StepId> kept = dialect.plan(planRequestOf(record)).steps(Phase.START).stream()
                .filter(Step::survivesRollback).map(Step::id).collect(Collectors.toSet());
        state.delete(schema, record.name(), kept);
        new BackfillControl(state, schema).migrationEnded();
    }

    /**
     * Contracts the active migration: the old version schema and the old structure go away. First it checks that every
     * row agrees between the two versions, and refuses ({@link ErrorCode#ROWS_DISAGREE}), having changed nothing, if any
     * does not.
     */
    public PhaseResult complete() {
        return complete(false);
    }

    /** {@link #complete()}; with {@code force}, without its checks: that the versions agree on every row, and that no client uses the old version. */
    public PhaseResult complete(boolean force) {
        return complete(force ? CompleteOptions.FORCE : CompleteOptions.SAFE);
    }

    /** {@link #complete()} with the checks {@code options} asks for. */
    public PhaseResult complete(CompleteOptions options) {
        ensureInitialized();
        try (RunnerSession session = RunnerSession.open(connections, dialect, schema, runnerWait)) {
            return completeIn(session, requireActive("complete"), options);
        }
    }

    /**
     * Watches every live version schema (the latest, and the old one while a migration is active) for {@code watch},
     * and says which sessions used each; each watch is kept for {@link #status()}.
     */
    public List<ClientWatch> clients(Duration watch) {
        ensureInitialized();
        List<String> live = liveVersionSchemas();
        if (live.isEmpty()) {
            throw new AccordionException(ErrorCode.STATE_CONFLICT, "schema \"" + schema + "\" has no version schema yet, so no "
                    + "client can use one; start a migration first");
        }
        try (Connection probe = connections.open()) {
            List<ClientWatch> watches = new ClientWatcher(dialect, Set.of(dialect.backendPid(probe))).watch(probe, live, watch);
            watches.forEach(w -> state.saveClientWatch(schema, w));
            return watches;
        } catch (SQLException e) {
            throw databaseError("watching for clients of the version schemas", e);
        }
    }

    /** The version schemas clients may use now: the old one while a migration's new one exists, and the latest. */
    private List<String> liveVersionSchemas() {
        List<MigrationRecord> history = state.history(schema);
        List<String> live = new ArrayList<>();
        history.stream().filter(r -> r.status().isActive()).findFirst().flatMap(this::liveOldVersionSchema).ifPresent(live::add);
        latestVersionSchema(history).ifPresent(live::add);
        return live;
    }

    /** The version schema complete drops (none for a schema's first migration). */
    private Optional<String> oldVersionSchema(MigrationRecord record) {
        return Optional.ofNullable(dialect.plan(planRequestOf(record)).oldVersionSchema());
    }

    /** The old version schema while clients may still use it: the migration is active, or its complete changed nothing yet. */
    private Optional<String> liveOldVersionSchema(MigrationRecord record) {
        boolean oldSideStands = record.status() == MigrationStatus.ACTIVE
                || record.status() == MigrationStatus.COMPLETING && !completeChangedSomething(record);
        return oldSideStands ? oldVersionSchema(record) : Optional.empty();
    }

    /** Undoes the active migration (before complete): the new version schema and everything start added go away. */
    public PhaseResult rollback() {
        ensureInitialized();
        try (RunnerSession session = RunnerSession.open(connections, dialect, schema, runnerWait, this::askStartToStop)) {
            MigrationRecord record = requireActive("roll back");
            if (record.status() == MigrationStatus.COMPLETING && completeChangedSomething(record)) {
                throw new AccordionException(ErrorCode.STATE_CONFLICT, "migration \"" + record.name()
                        + "\" cannot be rolled back: its complete phase began and has already removed the old version. "
                        + "Run \"accordion complete\" to finish it.");
            }
            PhaseResult result = runPhase(session, record, Phase.ROLLBACK);
            forget(record);
            return result;
        }
    }

    /**
     * A rollback that finds another runner at work asks a start under way to stop at its next step or batch, so that
     * it need not wait for the whole start (a backfill may take hours) only to undo it.
     */
    private Optional<String> askStartToStop(Connection holder) throws SQLException {
        Optional<MigrationRecord> starting = state.active(schema).filter(r -> r.status() == MigrationStatus.STARTING);
        if (starting.isPresent() && state.requestRollback(holder, schema, starting.get().name())) {
            return Optional.of("It asked that runner's start of \"" + starting.get().name() + "\" to stop at its next step or "
                    + "backfill batch, and it did not stop in that time: it is in a step that cannot stop half-way (such as "
                    + "an index build, or a lock it waits for). The request lapses with this command.");
        }
        return Optional.empty();
    }

    /**
     * Applies a directory's pending migrations in order: each but the last is started and completed,
     * the last is started, and completed too when {@code completeLast} is set. Running it again changes nothing once
     * every file is applied, or the last one is active (without {@code completeLast}). It refuses, before it changes
     * anything, a pending file that sorts before the latest applied migration, and an applied file edited since.
     */
    public List<PhaseResult> migrate(List<Migration> migrations, boolean completeLast) {
        return migrate(migrations, completeLast, false);
    }

    /** {@link #migrate(List, boolean)}; with {@code ignoreDrift}, applied files edited since are no reason to stop. */
    public List<PhaseResult> migrate(List<Migration> migrations, boolean completeLast, boolean ignoreDrift) {
        return migrate(migrations, completeLast, ignoreDrift, false);
    }

    /**
     * {@link #migrate(List, boolean, boolean)}; with {@code asOneRelease}, the pending files are started as one release
     * (see {@link #start(Release, boolean)}), so that one old and one new version are live, instead of each but the last
     * being started and completed on its own. A migration already active is finished first, as without it.
     */
    public List<PhaseResult> migrate(List<Migration> migrations, boolean completeLast, boolean ignoreDrift, boolean asOneRelease) {
        ensureInitialized();
        List<MigrationRecord> history = state.history(schema);
        FilesReport files = FilesCheck.of(history, migrations);
        if (!files.outOfOrder().isEmpty()) {
            throw outOfOrder(files.outOfOrder().get(0), files.latestApplied().orElseThrow());
        }
        if (!files.drifted().isEmpty() && !ignoreDrift) {
            throw new AccordionException(ErrorCode.STATE_CONFLICT, FilesCheck.describe(files.drifted())
                    + "\nNothing was migrated. Put each file back as it was applied and make the change in a new migration; "
                    + "if an edit does not matter (say, a comment in a migration long complete), tell migrate to ignore drift.");
        }
        List<MigrateUnit> pending = migrateUnits(unappliedFiles(migrations), state.active(schema), asOneRelease);
        boolean lastIsActive = !pending.isEmpty() && state.active(schema)
                .filter(r -> r.status() == MigrationStatus.ACTIVE && r.name().equals(pending.get(pending.size() - 1).migration().name()))
                .isPresent();
        if (lastIsActive && !completeLast) {
            pending.remove(pending.size() - 1);
        }
        List<PhaseResult> results = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            boolean last = i == pending.size() - 1;
            // Only the version that was live when migrate began can have clients: later old versions are this run's own.
            CompleteOptions checks = i == 0 ? CompleteOptions.SAFE : CompleteOptions.SAFE.withoutClientWatch();
            MigrateUnit unit = pending.get(i);
            try {
                results.add(start(unit.migration(), unit.releaseFiles(), !last || completeLast, EditedFile.TAKE_IF_NOTHING_CHANGED, checks));
            } catch (AccordionException e) {
                throw results.isEmpty() ? e : new MigrateStoppedException(results, unit.migration().name(), e);
            }
        }
        return results;
    }

    /** What migrate starts in turn: one file ({@code releaseFiles} empty), or a release of several. */
    private record MigrateUnit(Migration migration, List<ReleaseFile> releaseFiles) {

        static MigrateUnit of(Release release) {
            return new MigrateUnit(release.migration(), release.files());
        }
    }

    /**
     * The pending files as migrate starts them: the active migration's files first, as the unit it was started as (a
     * release is resumed or completed whole), then the rest one by one, or as one release when asked.
     */
    private static List<MigrateUnit> migrateUnits(List<Migration> pending, Optional<MigrationRecord> active, boolean asOneRelease) {
        List<MigrateUnit> units = new ArrayList<>();
        List<Migration> rest = pending;
        if (active.isPresent()) {
            List<String> activeFiles = active.get().fileNames();
            int count = activeFiles.size();
            boolean atHead = rest.size() >= count && rest.subList(0, count).stream().map(Migration::name).toList().equals(activeFiles);
            if (atHead && active.get().isRelease()) {
                units.add(MigrateUnit.of(Release.of(rest.subList(0, count), active.get().migration().versionSchema())));
                rest = rest.subList(count, rest.size());
            } else if (atHead) {
                units.add(new MigrateUnit(rest.get(0), List.of()));
                rest = rest.subList(1, rest.size());
            }
        }
        if (asOneRelease && rest.size() > 1) {
            units.add(MigrateUnit.of(Release.of(rest, Optional.empty())));
        } else {
            rest.forEach(file -> units.add(new MigrateUnit(file, List.of())));
        }
        return units;
    }

    /** How a directory of migration files stands against the history: drift, pending, out of order, missing. */
    public FilesReport checkFiles(List<Migration> files) {
        return FilesCheck.of(state.isInitialized() ? state.history(schema) : List.of(), files);
    }

    private AccordionException outOfOrder(String migration, String latestApplied) {
        return new AccordionException(ErrorCode.STATE_CONFLICT, "migration \"" + migration + "\" sorts before \"" + latestApplied
                + "\", the latest migration applied to schema \"" + schema + "\". Migrations run in file-name order, each "
                + "version built on the one before it, so \"" + migration + "\" cannot run after \"" + latestApplied
                + "\" has. Nothing was changed. Rename its file so that it sorts after \"" + latestApplied + "\", then run it again.");
    }

    /** Adopts an existing schema: records it as the first version and creates that version's schema of views. */
    public PhaseResult baseline(String name) {
        ensureInitialized();
        try (RunnerSession session = RunnerSession.open(connections, dialect, schema, runnerWait)) {
            if (!state.history(schema).isEmpty()) {
                throw new AccordionException(ErrorCode.STATE_CONFLICT, "schema \"" + schema
                        + "\" already has a migration history; a baseline can only be its first entry");
            }
            Migration empty = new Migration(name, Optional.empty(), List.of());
            SchemaSnapshot current = dialect.readSchema(session.worker, schema);
            Identifier versionSchema = versionSchemaOf(empty);
            MigrationRecord record = new MigrationRecord(schema, name, Optional.empty(), versionSchema, empty, current,
                    MigrationStatus.STARTING, true, Instant.now(), Optional.empty());
            state.insert(record);
            PhaseResult result = runPhase(session, record, Phase.START);
            state.updateStatus(schema, name, MigrationStatus.COMPLETE);
            return result;
        } catch (SQLException e) {
            throw databaseError("reading schema \"" + schema + "\"", e);
        }
    }

    /**
     * Pauses the backfills of this schema's active migration from any process: a running one waits after its current
     * batch, one started later waits before its first. Pausing again replaces the reason.
     */
    public BackfillControl.Paused pauseBackfill(String reason) {
        return new BackfillControl(state, schema).pause(Optional.ofNullable(reason));
    }

    /** Lets paused backfills go on; answers the pause it removed, empty when there was none. */
    public Optional<BackfillPause> resumeBackfill() {
        return new BackfillControl(state, schema).resume();
    }

    public Status status() {
        if (!state.isInitialized()) {
            return new Status(schema.name(), false, Optional.empty(), Optional.empty(), Optional.empty(),
                    "run \"accordion init\", then \"accordion start <file>\" (or \"accordion baseline <name>\" for a schema that already has tables)",
                    List.of());
        }
        List<MigrationRecord> history = state.history(schema);
        Optional<MigrationRecord> active = history.stream().filter(r -> r.status().isActive()).findFirst();
        Optional<MigrationRecord> underWay = active.filter(r -> r.status() != MigrationStatus.ACTIVE);
        Optional<String> runner = underWay.flatMap(r -> runnerAtWork());
        Optional<Interruption> interruption = underWay.filter(r -> runner.isEmpty()).map(this::interruptionOf);
        String next = active.map(r -> runner.map(holder -> "none while a runner works on it: " + holder)
                .orElseGet(() -> nextCommand(r))).orElse(history.isEmpty()
                ? "run \"accordion start <file>\" (or \"accordion baseline <name>\" for a schema that already has tables)"
                : "nothing to do; \"accordion start <file>\" begins the next migration");
        BackfillBoard board = state.isCurrent() ? state.backfillBoard(schema) : BackfillBoard.NONE;
        List<BackfillProgress> backfills = active.map(r -> board.progress(r.name())).orElse(List.of());
        Map<StepId, String> summaries = backfills.isEmpty() ? Map.of() : dialect.plan(planRequestOf(active.get())).steps(Phase.START)
                .stream().collect(Collectors.toMap(Step::id, Step::summary, (a, b) -> a));
        List<String> live = liveVersionSchemas();
        List<ClientWatch> watches = state.clientWatches(schema).stream().filter(w -> live.contains(w.versionSchema()))
                .sorted(java.util.Comparator.comparingInt(w -> live.indexOf(w.versionSchema()))).toList();
        return new Status(schema.name(), true, latestVersionSchema(history), active, interruption, next, history,
                board.pause(), backfills, summaries, watches);
    }

    /** Where an interrupted phase stopped, read from its plan and journal, and the commands that finish or undo it. */
    private Interruption interruptionOf(MigrationRecord record) {
        Phase phase = switch (record.status()) {
            case STARTING -> Phase.START;
            case COMPLETING -> Phase.COMPLETE;
            case ROLLING_BACK -> Phase.ROLLBACK;
            case ACTIVE, COMPLETE -> throw new IllegalArgumentException("no phase is under way in status " + record.status());
        };
        List<Step> steps = stepsToRun(record, dialect.plan(planRequestOf(record)), phase);
        Journal journal = state.journal(schema, record.name(), phase);
        Set<StepId> done = journal.finished();
        Optional<Interruption.StoppedStep> stoppedAt = Optional.empty();
        for (int i = 0; i < steps.size() && stoppedAt.isEmpty(); i++) {
            Step step = steps.get(i);
            if (!done.contains(step.id())) {
                OptionalLong rowsDone = step instanceof BatchedStep
                        ? journal.checkpoint(step.id()).map(c -> OptionalLong.of(c.rowsDone())).orElse(OptionalLong.of(0))
                        : OptionalLong.empty();
                stoppedAt = Optional.of(new Interruption.StoppedStep(i + 1, step.id(), step.summary(), rowsDone));
            }
        }
        int stepsDone = (int) steps.stream().filter(step -> done.contains(step.id())).count();
        String resume = switch (phase) {
            case START -> command("start " + fileOf(record));
            case COMPLETE -> command("complete");
            case ROLLBACK -> command("rollback");
        };
        boolean undoable = phase == Phase.START || phase == Phase.COMPLETE && !completeChangedSomething(record);
        Optional<String> rollback = undoable ? Optional.of(command("rollback")) : Optional.empty();
        return new Interruption(phase, stepsDone, steps.size(), stoppedAt, journal.lastProgress(), resume, rollback);
    }

    /** An accordion command line for this schema: with --schema and --state-schema when they are not the defaults. */
    private String command(String arguments) {
        StringBuilder line = new StringBuilder("accordion");
        if (!schema.name().equals("public")) {
            line.append(" --schema ").append(shellWord(schema.name()));
        }
        if (!stateSchema.name().equals("accordion")) {
            line.append(" --state-schema ").append(shellWord(stateSchema.name()));
        }
        return line.append(' ').append(arguments).toString();
    }

    /**
     * The file a migration was started from, as its start was given it (relative to where that command ran), or a
     * placeholder when it was started through the library from no file.
     */
    private static String fileOf(MigrationRecord record) {
        if (record.isRelease()) {
            // start needs every file of a release again, in order (the last one alone is another migration), and the
            // version schema it was asked for, if that is not the last file's
            String files = record.releaseFiles().stream().map(f -> f.file().source().map(Accordion::shellWord)
                    .orElse("<file of " + f.name() + ">")).collect(Collectors.joining(" "));
            Optional<Identifier> fromLastFile = record.releaseFiles().get(record.releaseFiles().size() - 1).file().versionSchema();
            return record.migration().versionSchema().equals(fromLastFile) ? files
                    : files + " --version-schema " + shellWord(record.versionSchema().name());
        }
        return record.migration().source().map(Accordion::shellWord).orElse("<file of " + record.name() + ">");
    }

    /** A name as one shell word: as it is when it is plain, else in single quotes. */
    private static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * The version schema new clients should use: the active migration's once its start has finished, else the latest
     * complete one's. While a start is under way (or interrupted) or a rollback runs, its version schema may not exist
     * yet or any more, so it is not the latest ({@link Status#comingVersionSchema()} names it).
     */
    public Optional<Identifier> latestVersionSchema() {
        return state.isInitialized() ? latestVersionSchema(state.history(schema)).map(Identifier::of) : Optional.empty();
    }

    private static Optional<String> latestVersionSchema(List<MigrationRecord> history) {
        return history.stream().filter(r -> r.status() != MigrationStatus.STARTING && r.status() != MigrationStatus.ROLLING_BACK)
                .reduce((a, b) -> b).map(r -> r.versionSchema().name());
    }

    private MigrationRecord begin(Connection connection, Migration migration, List<ReleaseFile> releaseFiles) {
        if (state.history(schema).stream().anyMatch(r -> r.name().equals(migration.name()))) {
            throw new AccordionException(ErrorCode.STATE_CONFLICT, "migration \"" + migration.name()
                    + "\" is already complete on schema \"" + schema + "\"; give a new migration a new file name");
        }
        refuseAppliedReleaseFiles(releaseFiles);
        // a release's first file is the one that must sort after what was applied; the others sort after it
        String first = releaseFiles.isEmpty() ? migration.name() : releaseFiles.get(0).name();
        Optional<String> latestApplied = FilesCheck.latestApplied(state.history(schema));
        if (latestApplied.isPresent() && first.compareTo(latestApplied.get()) < 0) {
            throw outOfOrder(first, latestApplied.get());
        }
        try {
            PlanRequest request = request(connection, migration);
            if (state.history(schema).isEmpty() && !request.before().tables().isEmpty()) {
                throw new AccordionException(ErrorCode.STATE_CONFLICT, "schema \"" + schema + "\" has "
                        + tableCount(request.before().tables().size()) + " but no Accordion history, so there is no version for "
                        + "existing clients to stay on. Run \"accordion baseline <name>\" once to adopt the schema as it is, then start migrations.");
            }
            List<String> problems = new MigrationCheck(dialect, capabilities, retryPolicy.lockTimeout()).problems(connection, request);
            if (!problems.isEmpty()) {
                throw releaseFiles.isEmpty() ? new InvalidMigrationException(migration.name(), problems)
                        : InvalidMigrationException.ofRelease(migration.name(), Release.describe(releaseFiles), problems);
            }
            MigrationRecord record = new MigrationRecord(schema, migration.name(),
                    state.latestComplete(schema).map(MigrationRecord::name), request.newVersionSchema(), migration,
                    request.before(), MigrationStatus.STARTING, false, Instant.now(), Optional.empty(), releaseFiles);
            state.insert(record);
            List<String> dropped = DroppedIndexes.of(migration, request.before());
            if (!dropped.isEmpty()) {
                state.saveIndexScans(schema, migration.name(), dialect.indexUse(connection, schema, dropped));
            }
            // Plan from the record as stored, as every later run of any phase does, so that a run after a crash plans
            // exactly the steps of the run that stopped.
            return state.active(schema).orElseThrow();
        } catch (SQLException e) {
            throw databaseError("reading schema \"" + schema + "\"", e);
        }
    }

    /**
     * A file of a release that the history holds already (on its own or in another release) cannot be applied again:
     * refuses, naming where it is.
     */
    private void refuseAppliedReleaseFiles(List<ReleaseFile> releaseFiles) {
        List<String> found = new ArrayList<>();
        for (MigrationRecord record : state.history(schema)) {
            for (ReleaseFile file : releaseFiles) {
                if (record.fileNames().contains(file.name())) {
                    found.add("\"" + file.name() + "\" (" + record.status().name().toLowerCase()
                            + (record.isRelease() ? ", in release \"" + record.name() + "\"" : "") + ")");
                }
            }
        }
        if (!found.isEmpty()) {
            throw new AccordionException(ErrorCode.STATE_CONFLICT, "the release of \""
                    + releaseFiles.get(releaseFiles.size() - 1).name() + "\" includes " + (found.size() == 1 ? "a file" : "files")
                    + " already in the history of schema \"" + schema + "\": " + String.join(", ", found)
                    + ". Nothing was changed. Leave " + (found.size() == 1 ? "it" : "them") + " out of the release (a directory "
                    + "given to start leaves out applied files by itself).");
        }
    }

    /** Whether complete has run a step that changes something (not only its checks); after one, only complete can go on. */
    private boolean completeChangedSomething(MigrationRecord record) {
        Set<StepId> done = state.journal(schema, record.name(), Phase.COMPLETE).finished();
        return dialect.plan(planRequestOf(record)).steps(Phase.COMPLETE).stream().anyMatch(s -> !s.checksOnly() && done.contains(s.id()));
    }

    private PhaseResult completeIn(RunnerSession session, MigrationRecord record, CompleteOptions options) {
        if (record.status() == MigrationStatus.STARTING || record.status() == MigrationStatus.ROLLING_BACK) {
            throw new AccordionException(ErrorCode.STATE_CONFLICT, "migration \"" + record.name() + "\" cannot be completed: its "
                    + (record.status() == MigrationStatus.STARTING ? "start" : "rollback") + " phase did not finish. Run "
                    + nextCommand(record) + " first.");
        }
        // the checks are for a complete that has changed nothing yet; one that stopped part-way can only go on
        boolean oldSideStands = record.status() == MigrationStatus.ACTIVE || !completeChangedSomething(record);
        Optional<String> oldVersion = oldSideStands ? oldVersionSchema(record) : Optional.empty();
        if (oldVersion.isPresent() && options.checkUse()) {
            awaitNoClients(session, record, oldVersion.get(), options.waitForClients());
        }
        if (oldSideStands && options.checkUse()) {
            refuseIfDroppedIndexesWereScanned(session, record);
        }
        if (oldVersion.isPresent() && !options.checkUse() && !options.checkRows()) {
            listener.decided(record.name(), "Completing without its checks, as asked: rows are not compared between the versions, "
                    + "and no one watches for clients of the old version schema \"" + oldVersion.get() + "\"; a session still "
                    + "using it fails once it is gone.");
        }
        PhaseResult result = runPhase(session, record, Phase.COMPLETE, step -> options.checkRows() || !step.checksOnly());
        state.updateStatus(schema, record.name(), MigrationStatus.COMPLETE);
        new BackfillControl(state, schema).migrationEnded();
        return result;
    }

    /**
     * An index complete drops that was scanned since it was last counted (when the start began, or when complete last
     * refused) still serves queries: refuses, naming each, and counts again, so that scans the old version made before
     * it went stop only one complete.
     */
    private void refuseIfDroppedIndexesWereScanned(RunnerSession session, MigrationRecord record) {
        List<IndexUse> atStart = state.indexScans(schema, record.name());
        if (atStart.isEmpty()) {
            return;
        }
        Map<String, Long> counted = atStart.stream().collect(Collectors.toMap(IndexUse::index, IndexUse::scans));
        List<String> scanned = new ArrayList<>();
        List<IndexUse> current;
        try {
            current = dialect.indexUse(session.worker, schema, List.copyOf(counted.keySet()));
            for (IndexUse now : current) {
                long before = counted.get(now.index());
                // fewer than before: the statistics were reset since, and every scan counted is a scan since the start
                long since = now.scans() >= before ? now.scans() - before : now.scans();
                if (since > 0) {
                    scanned.add("index \"" + now.index() + "\": scanned " + since + (since == 1 ? " time" : " times") + " since it was "
                            + "counted (when the start began, or when complete last refused)" + now.lastScan().map(last -> ", last at " + last).orElse("")
                            + (now.scans() < before ? " (the server's statistics were reset meanwhile)" : ""));
                }
            }
        } catch (SQLException e) {
            throw databaseError("reading the scans of the indexes migration \"" + record.name() + "\" drops", e);
        }
        if (!scanned.isEmpty()) {
            state.saveIndexScans(schema, record.name(), current);
            throw new AccordionException(ErrorCode.UNSAFE_TO_CONTRACT, "complete of migration \"" + record.name() + "\" changed nothing: "
                    + "it drops " + (scanned.size() == 1 ? "an index" : scanned.size() + " indexes") + " that queries still use:\n  - "
                    + String.join("\n  - ", scanned) + "\nFind the queries that use " + (scanned.size() == 1 ? "it" : "them")
                    + " (pg_stat_statements, the application's logs) and change them, or keep the index in a new migration; "
                    + "if only the old version ran them and it is gone, run complete again: it counts from now.", Hint.COMPLETE_ANYWAY);
        }
    }

    /** Watches the old version schema until a whole watch sees no client; refuses once {@code wait} has passed. */
    private void awaitNoClients(RunnerSession session, MigrationRecord record, String oldVersion, Duration wait) {
        long giveUp = System.nanoTime() + wait.toNanos();
        try {
            ClientWatcher watcher = new ClientWatcher(dialect, Set.of(dialect.backendPid(session.worker), dialect.backendPid(session.holder)));
            while (true) {
                ClientWatch watch = watcher.watch(session.worker, List.of(oldVersion), clientWatch).get(0);
                state.saveClientWatch(schema, watch);
                boolean again = !watch.sawNone() && System.nanoTime() - giveUp < 0;
                listener.clientsWatched(record.name(), watch, again);
                if (watch.sawNone()) {
                    return;
                }
                if (!again) {
                    throw unsafeToContract(record, watch, wait);
                }
            }
        } catch (SQLException e) {
            throw databaseError("watching for clients of version schema \"" + oldVersion + "\"", e);
        }
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private AccordionException unsafeToContract(MigrationRecord record, ClientWatch watch, Duration wait) {
        int count = watch.sessions().size();
        return new AccordionException(ErrorCode.UNSAFE_TO_CONTRACT, "complete of migration \"" + record.name() + "\" changed nothing: "
                + count + (count == 1 ? " session" : " sessions") + " used the old version schema \"" + watch.versionSchema()
                + "\" during a watch of " + seconds(watch.watched())
                + (wait.isZero() ? "" : ", still after waiting " + seconds(wait)) + ":\n  - "
                + watch.sessions().stream().map(s -> s.describe(watch.looks())).collect(Collectors.joining("\n  - "))
                + "\nMove them onto version schema \"" + record.versionSchema() + "\" (or stop them), then complete again; "
                + "or wait for them to go, or complete anyway, and they fail once the old version schema is gone.",
                Hint.WAIT_FOR_CLIENTS);
    }

    private PhaseResult runPhase(RunnerSession session, MigrationRecord record, Phase phase) {
        return runPhase(session, record, phase, step -> true);
    }

    /**
     * Runs the start phase; when the server degrades for longer than the abort limit (a backfill held back by a slow probe
     * query or replication lag), rolls the migration back and says so, instead of leaving it half-started.
     */
    private PhaseResult runStart(RunnerSession session, MigrationRecord record) {
        try {
            return runPhase(session, record, Phase.START);
        } catch (AccordionException e) {
            if (e.code() != ErrorCode.DEGRADED) {
                throw e;
            }
            listener.decided(record.name(), "Start of migration \"" + record.name() + "\" gives up: " + e.getMessage()
                    + ". Rolling it back.");
            MigrationRecord now = state.active(schema).orElseThrow();
            runPhase(session, now, Phase.ROLLBACK);
            forget(now);
            throw new AccordionException(ErrorCode.DEGRADED, "start of migration \"" + record.name() + "\" was rolled back: "
                    + e.getMessage() + ". Nothing of it is left, and the old version's clients kept working throughout. Find out "
                    + "what slowed the server or its replicas, then start the migration again (a longer abort limit gives "
                    + "the server more time).", Hint.ABORT_LIMIT, e);
        }
    }

    /** Runs the phase's steps that {@code included} keeps. */
    private PhaseResult runPhase(RunnerSession session, MigrationRecord record, Phase phase, Predicate<Step> included) {
        MigrationStatus during = switch (phase) {
            case START -> MigrationStatus.STARTING;
            case COMPLETE -> MigrationStatus.COMPLETING;
            case ROLLBACK -> MigrationStatus.ROLLING_BACK;
        };
        if (record.status() != during) {
            state.updateStatus(schema, record.name(), during);
        }
        Plan plan = dialect.plan(planRequestOf(record));
        List<Step> steps = stepsToRun(record, plan, phase).stream().filter(included).toList();
        Instant began = Instant.now();
        StopSignal stopSignal = phase == Phase.START ? state.rollbackRequests(schema, record.name()) : StopSignal.NONE;
        new Executor(dialect, session.worker, session.holder, retryPolicy, backfillPolicy, throttling,
                state.backfillBoard(schema), listener, connections, stopSignal)
                .run(record.name(), phase, steps, state.journal(schema, record.name(), phase));
        if (phase == Phase.START) {
            state.activate(schema, record.name()).ifPresent(request -> {
                throw new AccordionException(ErrorCode.STOPPED, "Start of migration \"" + record.name() + "\" ran all its "
                        + steps.size() + " steps but was not marked active: " + request + ".");
            });
        }
        Optional<String> current = phase == Phase.ROLLBACK ? Optional.ofNullable(plan.oldVersionSchema()) : Optional.of(plan.newVersionSchema());
        Optional<String> dropped = switch (phase) {
            case START -> Optional.empty();
            case COMPLETE -> Optional.ofNullable(plan.oldVersionSchema());
            case ROLLBACK -> Optional.of(plan.newVersionSchema());
        };
        return new PhaseResult(record.name(), phase, current, dropped, steps.size(), Duration.between(began, Instant.now()));
    }

    /** A phase's steps, but at rollback without the undoing of start steps that never ran (start stopped before them). */
    private List<Step> stepsToRun(MigrationRecord record, Plan plan, Phase phase) {
        if (phase != Phase.ROLLBACK) {
            return plan.steps(phase);
        }
        Set<StepId> started = state.journal(schema, record.name(), Phase.START).finished();
        return plan.steps(phase).stream().filter(step -> step.undoes().map(started::contains).orElse(true)).toList();
    }

    private PlanRequest planRequestOf(MigrationRecord record) {
        Optional<Identifier> previous = state.history(schema).stream()
                .filter(r -> !r.status().isActive() && !r.name().equals(record.name()))
                .reduce((a, b) -> b).map(MigrationRecord::versionSchema);
        return new PlanRequest(schema, record.migration(), record.baseSchema(), previous, record.versionSchema(), capabilities);
    }

    /**
     * Validate and plan look at a migration before it starts; one that started (and got past its start) or is applied
     * would be checked against the schema it made itself and fail in ways that say nothing true ("column does not exist").
     */
    private void refuseIfStarted(Migration migration, String command) {
        Optional<MigrationRecord> found = state.isInitialized()
                ? state.history(schema).stream().filter(r -> r.fileNames().contains(migration.name())).findFirst() : Optional.empty();
        if (found.isEmpty() || found.get().status() == MigrationStatus.STARTING) {
            return;
        }
        MigrationRecord record = found.get();
        // a file of a release is compared with its own recorded copy, not with the release's merged operations
        Migration recorded = record.releaseFiles().stream().filter(f -> f.name().equals(migration.name())).findFirst()
                .map(ReleaseFile::file).orElse(record.migration());
        String where = record.baseline() ? "the baseline of schema \"" + schema + "\""
                : record.status() == MigrationStatus.COMPLETE ? "already applied to schema \"" + schema + "\" (complete"
                        + record.completedAt().map(at -> " since " + at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).orElse("") + ")"
                : "already started on schema \"" + schema + "\" (" + record.status().name().toLowerCase() + ")";
        List<String> differences = MigrationFingerprint.differences(recorded, migration);
        String file = record.baseline() ? "" : differences.isEmpty() ? " The file is the same as the copy recorded when it started."
                : " The file was edited since it started (drift):\n  " + String.join("\n  ", differences);
        String inRelease = record.isRelease() ? " as part of release \"" + record.name() + "\"" : "";
        throw new AccordionException(ErrorCode.STATE_CONFLICT, "migration \"" + migration.name() + "\" is " + where + inRelease
                + ", so there is nothing to " + command + ": " + command + " checks a migration before it starts." + file
                + "\n\"" + command("status") + "\" shows where it is; a change belongs in a new migration.");
    }

    private PlanRequest request(Connection connection, Migration migration) throws SQLException {
        Optional<MigrationRecord> active = state.isInitialized() ? state.active(schema) : Optional.empty();
        if (active.isPresent() && active.get().name().equals(migration.name())) {
            // an interrupted start of this very migration: the file is checked against the schema that start began from
            MigrationRecord record = active.get();
            return new PlanRequest(schema, migration, record.baseSchema(), planRequestOf(record).oldVersionSchema(),
                    versionSchemaOf(migration), capabilities);
        }
        SchemaSnapshot before = active.isPresent()
                ? new MigrationCheck(dialect, capabilities, retryPolicy.lockTimeout()).resultOf(active.get().baseSchema(), active.get().migration())
                : dialect.readSchema(connection, schema);
        Optional<Identifier> previous = state.isInitialized()
                ? state.latest(schema).map(MigrationRecord::versionSchema) : Optional.empty();
        return new PlanRequest(schema, migration, before, previous, versionSchemaOf(migration), capabilities);
    }

    private static String tableCount(int tables) {
        return tables == 1 ? "1 table" : tables + " tables";
    }

    private Identifier versionSchemaOf(Migration migration) {
        return migration.versionSchema().orElseGet(() -> dialect.versionSchemaName(schema, migration.name()));
    }

    private MigrationRecord requireActive(String command) {
        return state.active(schema).orElseThrow(() -> new AccordionException(ErrorCode.STATE_CONFLICT,
                "there is no active migration on schema \"" + schema + "\" to " + command
                        + "; \"accordion status\" shows the history, \"accordion start <file>\" begins a migration"));
    }

    private String nextCommand(MigrationRecord record) {
        return switch (record.status()) {
            case STARTING -> "\"" + command("start " + fileOf(record)) + "\" to finish starting it, or \""
                    + command("rollback") + "\"";
            case ACTIVE -> "\"" + command("complete") + "\" once no client uses " + previousVersionOf(record) + " (complete watches "
                    + "for them first; \"" + command("clients") + "\" shows who does), or \"" + command("rollback") + "\"";
            case COMPLETING -> "\"" + command("complete") + "\" to finish completing it" + (completeChangedSomething(record) ? ""
                    : ", or \"" + command("rollback") + "\" (it stopped at its checks and changed nothing)");
            case ROLLING_BACK -> "\"" + command("rollback") + "\" to finish rolling it back";
            case COMPLETE -> "nothing";
        };
    }

    private String previousVersionOf(MigrationRecord record) {
        return oldVersionSchema(record).map(old -> "version schema " + old).orElse("the old version");
    }

    /** The session of the runner working on this schema now, if one is. */
    private Optional<String> runnerAtWork() {
        try (Connection connection = Connections.open(connections)) {
            Optional<String> holder = dialect.tryLockSchema(connection, schema);
            if (holder.isEmpty()) {
                dialect.unlockSchema(connection, schema);
            }
            return holder;
        } catch (SQLException e) {
            throw databaseError("checking for a running runner", e);
        }
    }

    /** Creates the state schema, or adds what an older Accordion's lacks (the checkpoints table). */
    private void ensureInitialized() {
        if (!state.isCurrent()) {
            state.init();
        }
    }

    private AccordionException databaseError(String doing, SQLException e) {
        return new AccordionException(ErrorCode.DATABASE, "the database failed while " + doing + ": " + e.getMessage().strip()
                + "\nNothing was changed. Check the server (and the user's rights on schema \"" + schema + "\"), then run the command again.", e);
    }

    /** Configuration of an {@link Accordion}; {@link #load()} connects once to learn the server. */
    public static final class Builder {
        private ConnectionSource connections;
        private Identifier schema = Identifier.of("public");
        private Identifier stateSchema = Identifier.of("accordion");
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private BackfillPolicy backfillPolicy = BackfillPolicy.DEFAULT;
        private Duration runnerWait = Duration.ofSeconds(10);
        private Duration clientWatch = Duration.ofSeconds(5);
        private ExecutionListener listener = ExecutionListener.NONE;
        private final List<Throttle> throttles = new ArrayList<>();
        private boolean throttleOnLockWaiters = true;
        private BackfillThrottling throttling = BackfillThrottling.NONE;

        private Builder() {
        }

        public Builder dataSource(DataSource dataSource) {
            this.connections = dataSource::getConnection;
            return this;
        }

        public Builder connections(ConnectionSource source) {
            this.connections = source;
            return this;
        }

        public Builder schema(String name) {
            this.schema = Identifier.of(name);
            return this;
        }

        public Builder stateSchema(String name) {
            this.stateSchema = Identifier.of(name);
            return this;
        }

        public Builder lockTimeout(Duration timeout) {
            this.retryPolicy = retryPolicy.withLockTimeout(timeout);
            return this;
        }

        /** How long a step keeps retrying busy locks before the phase stops with an error. */
        public Builder lockRetryDeadline(Duration deadline) {
            this.retryPolicy = retryPolicy.withDeadline(deadline);
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /** How long one backfill batch should take; batch sizes adapt toward it (default 200 ms). */
        public Builder backfillBatchTarget(Duration target) {
            this.backfillPolicy = backfillPolicy.withTargetBatch(target);
            return this;
        }

        /** Pins the number of rows per backfill batch instead of adapting it. */
        public Builder backfillBatchSize(int rows) {
            this.backfillPolicy = backfillPolicy.withFixedBatchSize(rows);
            return this;
        }

        /**
         * On how many connections each backfill batch runs (default 1): more cut a batch into that many key ranges
         * updated side by side, which is faster where the server has cores to spare, and puts that much more write load
         * on it while the backfill runs.
         */
        public Builder backfillWorkers(int workers) {
            this.backfillPolicy = backfillPolicy.withWorkers(workers);
            return this;
        }

        public Builder backfillPolicy(BackfillPolicy policy) {
            this.backfillPolicy = policy;
            return this;
        }

        /** How long to wait for another runner on the same schema before failing. */
        /**
         * How long complete watches the old version schema for sessions that still use it before it contracts (default
         * 5 s); zero is a single look.
         */
        public Builder clientWatch(Duration watch) {
            if (watch.isNegative()) {
                throw new IllegalArgumentException("the client watch must not be negative: " + watch);
            }
            this.clientWatch = watch;
            return this;
        }

        public Builder runnerWait(Duration wait) {
            this.runnerWait = wait;
            return this;
        }

        /** Adds a throttle that backfills ask between batches whether to wait. */
        public Builder throttle(Throttle throttle) {
            this.throttles.add(Objects.requireNonNull(throttle));
            return this;
        }

        /** Whether backfills wait while other sessions wait for a lock on their table (default: yes). */
        public Builder throttleOnLockWaiters(boolean on) {
            this.throttleOnLockWaiters = on;
            return this;
        }

        /** How often a paused backfill looks again and how throttled ones back off; its throttles are ignored. */
        /**
         * Rolls a start back when a throttle that tells of degradation (the probe query, replication lag) holds its
         * backfill back for longer than {@code limit} without a break; without it, the backfill waits as long as it takes.
         */
        public Builder abortOnDegradationAfter(Duration limit) {
            this.throttling = throttling.abortingAfter(limit);
            return this;
        }

        public Builder backfillWaits(BackfillThrottling waits) {
            this.throttling = waits;
            return this;
        }

        public Builder listener(ExecutionListener executionListener) {
            this.listener = executionListener;
            return this;
        }

        public Accordion load() {
            return new Accordion(this);
        }
    }
}
