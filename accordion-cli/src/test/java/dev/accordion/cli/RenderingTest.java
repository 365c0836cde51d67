package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.Interruption;
import dev.accordion.PhaseResult;
import dev.accordion.Status;
import dev.accordion.migration.Migration;
import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Plan;
import dev.accordion.plan.SqlStep;
import dev.accordion.plan.StepId;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.BackfillProgress;
import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import dev.accordion.sql.Identifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How results look, from the facade's records, without a database. */
class RenderingTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");
    private static final Instant T1 = Instant.parse("2025-03-01T10:05:00Z");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void statusTextShowsVersionActiveMigrationNextStepAndHistory() {
        String text = StatusText.render(StatusDocument.of(statusWithActive(MigrationStatus.ACTIVE, false)));

        assertThat(text).contains("schema:                public")
                .contains("latest version schema: public_02_rename")
                .contains("active migration:      02_rename (active), version schema public_02_rename")
                .contains("next step:             \"accordion complete\" once no client uses")
                .doesNotContain("interrupted")
                .containsPattern("(?m)^  00_baseline  complete  started 2025-03-01T10:00:00Z  completed 2025-03-01T10:05:00Z  \\(baseline\\)$")
                .containsPattern("(?m)^  02_rename    active    started 2025-03-01T10:05:00Z  checksum [0-9a-f]{12}$");
    }

    @Test
    void statusTextSaysWhichPhaseWasInterruptedAndWhatToRun() {
        String text = StatusText.render(StatusDocument.of(statusWithActive(MigrationStatus.STARTING, true)));

        assertThat(text).contains("02_rename (starting)")
                .contains("latest version schema: public_00_baseline; public_02_rename comes when the start of 02_rename finishes")
                .contains("its start phase was interrupted")
                .contains("next step:             \"accordion start <file of 02_rename>\" to finish starting it")
                .contains("stopped at:            step 3 of 5, backfill \"products\" (start/1-alter_column/backfill), 1,200 rows done")
                .contains("last progress:         2025-03-01T10:05:00Z")
                .contains("to finish it:          accordion start <file of 02_rename>")
                .contains("to roll it back:       accordion rollback");
    }

    @Test
    void statusTextOfAnUninitializedDatabaseSaysWhatToDo() {
        Status status = new Status("public", false, Optional.empty(), Optional.empty(), Optional.empty(), "run \"accordion init\"", List.of());

        assertThat(StatusText.render(StatusDocument.of(status)))
                .contains("not been initialized")
                .contains("next step:             run \"accordion init\"")
                .doesNotContain("history");
    }

    @Test
    void statusTextWithoutActiveMigrationOrHistory() {
        Status status = new Status("public", true, Optional.empty(), Optional.empty(), Optional.empty(), "run \"accordion start <file>\"", List.of());

        assertThat(StatusText.render(StatusDocument.of(status)))
                .contains("latest version schema: none yet")
                .contains("active migration:      none")
                .contains("history:               none");
    }

    @Test
    void statusJsonHasTheSameFacts() throws Exception {
        StringWriter out = new StringWriter();
        JsonOutput.print(new PrintWriter(out), StatusDocument.of(statusWithActive(MigrationStatus.COMPLETING, true)));

        JsonNode status = json.readTree(out.toString());
        assertThat(status.get("schema").asText()).isEqualTo("public");
        assertThat(status.get("initialized").asBoolean()).isTrue();
        assertThat(status.get("latest_version_schema").asText()).isEqualTo("public_02_rename");
        assertThat(status.get("active_migration").get("name").asText()).isEqualTo("02_rename");
        assertThat(status.get("active_migration").get("status").asText()).isEqualTo("completing");
        assertThat(status.get("active_migration").get("interrupted").asBoolean()).isTrue();
        assertThat(status.get("active_migration").get("interrupted_phase").asText()).isEqualTo("complete");
        JsonNode interruption = status.get("active_migration").get("interruption");
        assertThat(interruption.get("phase").asText()).isEqualTo("complete");
        assertThat(interruption.get("steps_done").asInt()).isEqualTo(2);
        assertThat(interruption.get("steps").asInt()).isEqualTo(5);
        assertThat(interruption.get("stopped_at_step").asInt()).isEqualTo(3);
        assertThat(interruption.get("stopped_at_step_id").asText()).isEqualTo("start/1-alter_column/backfill");
        assertThat(interruption.get("rows_done").asLong()).isEqualTo(1200);
        assertThat(interruption.get("last_progress_at").asText()).isEqualTo("2025-03-01T10:05:00Z");
        assertThat(interruption.get("resume_command").asText()).isEqualTo("accordion complete");
        assertThat(interruption.get("rollback_command").isNull()).isTrue();
        assertThat(status.get("next_step").asText()).isEqualTo("\"accordion start <file of 02_rename>\" to finish starting it, or \"accordion rollback\"");
        assertThat(status.get("history")).hasSize(2);
        JsonNode baseline = status.get("history").get(0);
        assertThat(baseline.get("name").asText()).isEqualTo("00_baseline");
        assertThat(baseline.get("baseline").asBoolean()).isTrue();
        assertThat(baseline.get("started_at").asText()).isEqualTo("2025-03-01T10:00:00.123456Z");
        assertThat(baseline.get("completed_at").asText()).isEqualTo("2025-03-01T10:05:00Z");
        assertThat(status.get("history").get(1).get("completed_at").isNull()).isTrue();
    }

    @Test
    void statusJsonWithoutActiveMigrationHasNull() throws Exception {
        StringWriter out = new StringWriter();
        JsonOutput.print(new PrintWriter(out), StatusDocument.of(
                new Status("public", true, Optional.empty(), Optional.empty(), Optional.empty(), "next", List.of())));

        JsonNode status = json.readTree(out.toString());
        assertThat(status.get("active_migration").isNull()).isTrue();
        assertThat(status.get("latest_version_schema").isNull()).isTrue();
    }

    @Test
    void planJsonListsPhasesAndStepsWithLocksAndSql() throws Exception {
        StringWriter out = new StringWriter();
        JsonOutput.print(new PrintWriter(out), PlanDocument.of(plan()));

        JsonNode plan = json.readTree(out.toString());
        assertThat(plan.get("migration").asText()).isEqualTo("02_rename");
        assertThat(plan.get("old_version_schema").asText()).isEqualTo("public_00_baseline");
        assertThat(plan.get("new_version_schema").asText()).isEqualTo("public_02_rename");
        assertThat(plan.get("phases")).hasSize(3);
        assertThat(plan.get("phases").findValuesAsText("phase")).containsExactly("start", "complete", "rollback");
        JsonNode step = plan.get("phases").get(0).get("steps").get(0);
        assertThat(step.get("id").asText()).isEqualTo("start/view/users");
        assertThat(step.get("summary").asText()).isEqualTo("create view users in the new version schema");
        assertThat(step.get("transactional").asBoolean()).isTrue();
        assertThat(step.get("locks").get(0).asText()).isEqualTo("ACCESS EXCLUSIVE on \"public\".\"users\"");
        assertThat(step.get("sql")).hasSize(2);
        assertThat(step.get("sql").get(0).asText()).isEqualTo("CREATE SCHEMA \"public_02_rename\"");
        assertThat(plan.get("phases").get(2).get("steps")).isEmpty();
    }

    @Test
    void phaseResultLinesSayWhatClientsUseNow() {
        assertThat(PhaseResultLine.of(result(Phase.START, "public_02_rename")))
                .startsWith("started 02_rename: clients of the new version use search_path \"public_02_rename\"");
        assertThat(PhaseResultLine.of(result(Phase.COMPLETE, "public_02_rename")))
                .isEqualTo("completed 02_rename: clients use search_path \"public_02_rename\"; the old version's schema \"public_01_users\" is gone");
        assertThat(PhaseResultLine.of(new PhaseResult("01_users", Phase.COMPLETE, Optional.of("public_01_users"), Optional.empty(), 1, Duration.ZERO)))
                .isEqualTo("completed 01_users: clients use search_path \"public_01_users\"; there was no earlier version schema to drop");
        assertThat(PhaseResultLine.of(result(Phase.ROLLBACK, "public_00_baseline")))
                .startsWith("rolled back 02_rename: clients use search_path \"public_00_baseline\"");
        assertThat(PhaseResultLine.of(new PhaseResult("02_rename", Phase.ROLLBACK, Optional.empty(), Optional.of("public_02_rename"), 1, Duration.ZERO)))
                .startsWith("rolled back 02_rename: there is no earlier version");
        assertThat(PhaseResultLine.ofBaseline(new PhaseResult("00_baseline", Phase.START, Optional.of("public_00_baseline"), Optional.empty(), 1, Duration.ZERO)))
                .startsWith("baselined 00_baseline: clients of the existing schema can use search_path \"public_00_baseline\"");
    }

    @Test
    void progressShowsStepsSkippedStepsAndWhoBlocksALock() {
        StringWriter err = new StringWriter();
        ProgressPrinter progress = new ProgressPrinter(new PrintWriter(err, true));
        SqlStep step = (SqlStep) plan().steps(Phase.START).get(0);

        progress.phaseStarted("02_rename", Phase.START, 3, 1);
        progress.stepSkipped(step, 1, 3);
        progress.stepStarted(step, 2, 3);
        progress.lockRetry(step, 2, Duration.ofMillis(350), List.of(new BlockingSession(4242, "billing", "10.0.0.7", "idle in transaction",
                Optional.of(Instant.now().minusSeconds(30)), Optional.empty(), "UPDATE users SET email = $1")));
        progress.stepFinished(step, Duration.ofMillis(20));
        progress.stepFinished(step, Duration.ofMillis(2500));
        progress.phaseFinished("02_rename", Phase.START, Duration.ofMillis(2600));

        assertThat(err.toString()).contains("start 02_rename: 3 steps, 1 already done by an earlier run; continuing")
                .contains("[1/3] already done: create view users in the new version schema")
                .contains("[2/3] create view users in the new version schema")
                .contains("lock busy (attempt 2)", "retrying in 350 ms")
                .contains("pid 4242 (application \"billing\") from 10.0.0.7, idle in transaction", "UPDATE users SET email = $1")
                .contains("took 2.5 s")
                .doesNotContain("took 20 ms")
                .contains("start 02_rename: done in 2.6 s");
    }

    @Test
    void aStepThatWaitsWithoutBlockingClientsSaysForWhomAndThatClientsGoOn() {
        StringWriter err = new StringWriter();
        ProgressPrinter progress = new ProgressPrinter(new PrintWriter(err, true));
        SqlStep step = (SqlStep) plan().steps(Phase.START).get(0);

        progress.stillWaiting(step, Duration.ofSeconds(3), List.of(new BlockingSession(777, "nightly-report", null, "idle in transaction",
                Optional.of(Instant.now().minusSeconds(600)), Optional.empty(), "SELECT count(*) FROM orders")));

        assertThat(err.toString()).contains("waiting 3.0 s for these sessions to finish; the application's reads and writes are not "
                + "blocked meanwhile:").contains("pid 777 (application \"nightly-report\"), idle in transaction, transaction open for 6");
    }

    @Test
    void statusShowsWhatARunningBackfillFillsWithItsRateAndTimeLeft() {
        Status status = withBackfill(BackfillProgress.State.RUNNING, Optional.empty(), Optional.empty());

        assertThat(StatusText.render(StatusDocument.of(status))).contains("""
                backfill:              backfill "public"."products": "_acc_new_price": 1,200,000 of about 10,000,000 rows (12%), \
                40,000 rows/s, about 3 min 40 s left
                                       running
                                       last report from its runner 2 s ago
                """);
        StringWriter out = new StringWriter();
        JsonOutput.print(new PrintWriter(out), StatusDocument.of(status));
        assertThat(out.toString()).contains("\"seconds_left\" : 220").contains("\"rows_per_second\" : 40000.0")
                .contains("\"what\" : \"backfill \\\"public\\\".\\\"products\\\": \\\"_acc_new_price\\\"\"")
                .contains("\"step\" : \"start/1-alter_column/backfill\"");
    }

    @Test
    void aWaitingBackfillShowsWhyWithoutARateOrTimeLeftAndThePauseOnce() {
        Status throttled = withBackfill(BackfillProgress.State.THROTTLED,
                Optional.of("replication lag 12.3 s on replica \"standby1\" is above 5 s"), Optional.empty());
        Status paused = withBackfill(BackfillProgress.State.PAUSED, Optional.of("paused by ops/42/accordion: no reason given"),
                Optional.of(new BackfillPause(Optional.empty(), "ops/42/accordion", T1)));

        assertThat(StatusText.render(StatusDocument.of(throttled))).contains("""
                backfill:              backfill "public"."products": "_acc_new_price": 1,200,000 of about 10,000,000 rows (12%)
                                       waiting: replication lag 12.3 s on replica "standby1" is above 5 s
                                       last report from its runner 2 s ago
                """).doesNotContain("rows/s").doesNotContain("left\n");
        String pausedText = StatusText.render(StatusDocument.of(paused));
        assertThat(pausedText).contains("""
                backfill:              backfill "public"."products": "_acc_new_price": 1,200,000 of about 10,000,000 rows (12%)
                                       paused (see "backfills paused" below); "accordion backfill resume" lets it go on
                """).contains("""
                backfills paused:      by ops/42/accordion since 2025-03-01T10:05:00Z: no reason given; \
                "accordion backfill resume" lets them go on
                """).doesNotContain("rows/s");
        assertThat(pausedText.split("ops/42", -1)).as("who paused, said once").hasSize(2);
        StringWriter out = new StringWriter();
        JsonOutput.print(new PrintWriter(out), StatusDocument.of(paused));
        assertThat(out.toString()).contains("\"seconds_left\" : null").contains("\"rows_per_second\" : null")
                .contains("\"state\" : \"paused\"").contains("\"seconds_since_report\" : 2.4")
                .contains("\"paused_by\" : \"ops/42/accordion\"");
    }

    private static Status withBackfill(BackfillProgress.State state, Optional<String> reason, Optional<BackfillPause> pause) {
        Status base = statusWithActive(MigrationStatus.STARTING, false);
        StepId step = new StepId("start/1-alter_column/backfill");
        BackfillProgress progress = new BackfillProgress("02_rename", step, 1_200_000, 10_000_000, 40_000, state, reason,
                Duration.ofMillis(2_400));
        return new Status(base.schema(), true, base.latestVersionSchema(), base.active(), Optional.empty(), base.nextStep(),
                base.history(), pause, List.of(progress), Map.of(step, "backfill \"public\".\"products\": \"_acc_new_price\""));
    }

    @Test
    void statusShowsABackfillWhoseRunnerIsGoneAsStoppedWithoutRateOrTimeLeft() {
        Status base = statusWithActive(MigrationStatus.STARTING, true);
        BackfillProgress lastReport = new BackfillProgress("02_rename", new StepId("start/1-alter_column/backfill"), 1_200_000,
                10_000_000, 40_000, BackfillProgress.State.RUNNING, Optional.empty(), Duration.ofSeconds(75));
        Status status = new Status(base.schema(), true, base.latestVersionSchema(), base.active(), base.interruption(),
                base.nextStep(), base.history(), Optional.empty(), List.of(lastReport));

        assertThat(StatusText.render(StatusDocument.of(status))).contains("""
                backfill:              start/1-alter_column/backfill: 1,200,000 of about 10,000,000 rows (12%)
                                       stopped with its runner; the command under "to finish it" goes on after its last batch
                                       last report from its runner 1 min 15 s ago
                """).doesNotContain("rows/s").doesNotContain("running");
    }

    @Test
    void exitCodesStartWithSuccessAndFollowErrorCodes() {
        Map<String, String> codes = ExitCodes.described();

        assertThat(codes.keySet()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        assertThat(codes.get("0")).isEqualTo("success");
    }

    private static Status statusWithActive(MigrationStatus activeStatus, boolean interrupted) {
        MigrationRecord baseline = record("00_baseline", "public_00_baseline", MigrationStatus.COMPLETE, true, T0, Optional.of(T1));
        MigrationRecord active = record("02_rename", "public_02_rename", activeStatus, false, T1, Optional.empty());
        String next = activeStatus == MigrationStatus.ACTIVE
                ? "\"accordion complete\" once no client uses version schema public_00_baseline, or \"accordion rollback\""
                : "\"accordion start <file of 02_rename>\" to finish starting it, or \"accordion rollback\"";
        Optional<Interruption> interruption = interrupted ? Optional.of(interruptedAtBackfill(activeStatus)) : Optional.empty();
        Optional<String> latest = Optional.of(activeStatus == MigrationStatus.STARTING ? "public_00_baseline" : "public_02_rename");
        return new Status("public", true, latest, Optional.of(active), interruption, next, List.of(baseline, active));
    }

    /** Stopped in step 3 of 5, a backfill, 1,200 rows done; only start can also be rolled back. */
    private static Interruption interruptedAtBackfill(MigrationStatus activeStatus) {
        Phase phase = activeStatus == MigrationStatus.COMPLETING ? Phase.COMPLETE : Phase.START;
        return new Interruption(phase, 2, 5, Optional.of(new Interruption.StoppedStep(3, new StepId("start/1-alter_column/backfill"),
                "backfill \"products\"", OptionalLong.of(1200))), Optional.of(T1),
                phase == Phase.START ? "accordion start <file of 02_rename>" : "accordion complete",
                phase == Phase.START ? Optional.of("accordion rollback") : Optional.empty());
    }

    private static MigrationRecord record(String name, String versionSchema, MigrationStatus status, boolean baseline,
                                          Instant started, Optional<Instant> completed) {
        return new MigrationRecord(Identifier.of("public"), name, Optional.empty(), Identifier.of(versionSchema),
                new Migration(name, Optional.empty(), List.of()), SchemaSnapshot.EMPTY, status, baseline, started, completed);
    }

    private static Plan plan() {
        SqlStep createView = new SqlStep(new StepId("start/view/users"), "create view users in the new version schema", true,
                List.of(new LockClaim(LockLevel.ACCESS_EXCLUSIVE, "\"public\".\"users\"")),
                List.of("CREATE SCHEMA \"public_02_rename\"", "CREATE VIEW \"public_02_rename\".\"users\" AS SELECT 1"));
        SqlStep dropOld = new SqlStep(new StepId("complete/drop-schema"), "drop the old version schema", true, List.of(),
                List.of("DROP SCHEMA \"public_00_baseline\" CASCADE"));
        return new Plan("02_rename", "public_00_baseline", "public_02_rename",
                Map.of(Phase.START, List.of(createView), Phase.COMPLETE, List.of(dropOld)));
    }

    private static PhaseResult result(Phase phase, String versionSchema) {
        Optional<String> dropped = switch (phase) {
            case START -> Optional.empty();
            case COMPLETE -> Optional.of("public_01_users");
            case ROLLBACK -> Optional.of("public_02_rename");
        };
        return new PhaseResult("02_rename", phase, Optional.of(versionSchema), dropped, 3, Duration.ofMillis(120));
    }
}
