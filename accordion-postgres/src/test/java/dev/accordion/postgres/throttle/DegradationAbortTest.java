package dev.accordion.postgres.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.PhaseResult;
import dev.accordion.execute.BackfillPolicy;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.sql.SqlExpr;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A start whose backfill a degradation throttle holds back for longer than the abort limit is rolled back (issue 12):
 * the probe query turns slow part-way through the backfill, the start gives up with DEGRADED (exit 12) and leaves
 * nothing of the migration behind; without a limit the backfill waits, as before.
 */
class DegradationAbortTest {

    private static final Migration PRICE_IN_DOLLARS = MigrationReader.parseYaml("02_price", """
            operations:
              - alter_column:
                  table: products
                  column: price
                  type: numeric(10,2)
                  up: price / 100.0
                  down: (price * 100)::integer
            """);

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final List<String> decisions = new CopyOnWriteArrayList<>();

    @BeforeEach
    void productsAndASwitchForTheProbe() {
        setUp().start(MigrationReader.parseYaml("01_products", """
                operations:
                  - create_table:
                      name: products
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: price, type: integer}
                """), true);
        db.execute("INSERT INTO public.products (price) SELECT n FROM generate_series(1, 5000) n",
                "CREATE TABLE public.server_load (slow boolean NOT NULL)", "INSERT INTO public.server_load VALUES (false)");
    }

    @Test
    void aProbeThatTurnsSlowForLongerThanTheLimitRollsTheStartBack() {
        Accordion accordion = withProbe(Duration.ofMillis(600));

        AccordionException degraded = catchThrowableOfType(AccordionException.class, () -> accordion.start(PRICE_IN_DOLLARS, false));

        assertThat(degraded.code()).isEqualTo(ErrorCode.DEGRADED);
        assertThat(degraded.code().exitCode()).isEqualTo(12);
        assertThat(degraded.hint()).contains(Hint.ABORT_LIMIT);
        assertThat(degraded.getMessage()).contains("start of migration \"02_price\" was rolled back: the backfill of ",
                "longer than the abort limit of 0.6 s, because the probe query took ", "Nothing of it is left");
        assertThat(decisions).anySatisfy(decision -> assertThat(decision).contains("gives up", "Rolling it back."));
        assertThat(accordion.status().active()).as("no migration is active").isEmpty();
        assertThat(accordion.status().history()).extracting(record -> record.name()).containsExactly("01_products");
        assertThat(db.queryStrings("SELECT attname FROM pg_attribute WHERE attrelid = 'public.products'::regclass AND attnum > 0 "
                + "AND NOT attisdropped ORDER BY attnum")).containsExactly("id", "price");
        assertThat(db.queryStrings("SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.products'::regclass")).isEmpty();
        assertThat(db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_0%'"))
                .containsExactly("public_01_products");
    }

    @Test
    void aProbeThatRecoversWithinTheLimitLetsTheStartFinish() {
        Accordion accordion = withProbe(Duration.ofSeconds(60));
        // the probe recovers as soon as it has held the backfill back once
        onThrottled = () -> db.execute("UPDATE public.server_load SET slow = false");

        PhaseResult started = accordion.start(PRICE_IN_DOLLARS, false);

        assertThat(started.versionSchema()).contains("public_02_price");
        assertThat(db.queryString("SELECT count(*) FROM public.products WHERE _acc_new_price = price / 100.0")).isEqualTo("5000");
    }

    /** Run when the backfill says it is throttled. */
    private Runnable onThrottled = () -> { };

    /** A facade whose probe query turns slow after the backfill's second batch, with {@code abortAfter} as the limit. */
    private Accordion withProbe(Duration abortAfter) {
        return Accordion.configure().clientWatch(Duration.ZERO).connections(db::connect)
                .backfillPolicy(BackfillPolicy.DEFAULT.withFixedBatchSize(500))
                .throttle(new ProbeQueryThrottle(new SqlExpr(
                        "SELECT pg_sleep(CASE WHEN slow THEN 0.1 ELSE 0 END) FROM public.server_load"), Duration.ofMillis(50)))
                .abortOnDegradationAfter(abortAfter)
                .listener(new ExecutionListener() {
                    @Override
                    public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
                        if (rowsDone == 1_000) {
                            db.execute("UPDATE public.server_load SET slow = true");
                        }
                    }

                    @Override
                    public void backfillThrottled(Step step, String reason) {
                        onThrottled.run();
                    }

                    @Override
                    public void decided(String migration, String decision) {
                        decisions.add(decision);
                    }
                }).load();
    }

    private Accordion setUp() {
        return Accordion.configure().clientWatch(Duration.ZERO).connections(db::connect).load();
    }
}
