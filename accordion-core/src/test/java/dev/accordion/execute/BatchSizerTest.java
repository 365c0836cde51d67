package dev.accordion.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Batch sizing as a pure function of the durations fed to it: no clock, no database. */
class BatchSizerTest {

    private static final BackfillPolicy TARGET_200_MS = BackfillPolicy.DEFAULT;

    @Test
    void startsAtAThousandRows() {
        assertThat(new BatchSizer(TARGET_200_MS).size()).isEqualTo(1_000);
    }

    @Test
    void batchesOnTargetKeepTheirSize() {
        BatchSizer sizer = new BatchSizer(TARGET_200_MS);

        sizer.observe(Duration.ofMillis(200));

        assertThat(sizer.size()).isEqualTo(1_000);
    }

    @Test
    void aBatchNearTheTargetMovesTheSizeHalfWayToWhatItSuggests() {
        BatchSizer sizer = new BatchSizer(TARGET_200_MS);

        sizer.observe(Duration.ofMillis(160)); // suggests 1,250: moves half-way
        assertThat(sizer.size()).isEqualTo(1_125);
        sizer.observe(Duration.ofMillis(101)); // suggests 1.98x: half-way, +49 %
        assertThat(sizer.size()).isEqualTo(1_676);
    }

    @Test
    void aBatchThatTookAtMostHalfTheTargetDoublesTheSizeSoTheNextOneStillFits() {
        BatchSizer sizer = new BatchSizer(TARGET_200_MS);

        sizer.observe(Duration.ofMillis(100));
        assertThat(sizer.size()).isEqualTo(2_000);
        sizer.observe(Duration.ofMillis(1)); // suggests 200x, limited to doubling
        assertThat(sizer.size()).isEqualTo(4_000);
    }

    @Test
    void oneVerySlowBatchCostsAtMostAQuarterOfTheSize() {
        BatchSizer sizer = new BatchSizer(TARGET_200_MS);

        sizer.observe(Duration.ofSeconds(30));

        assertThat(sizer.size()).isEqualTo(750);
    }

    @Test
    void aSustainedChangeIsFollowedAndTheSizeSettlesWhereBatchesTakeTheTarget() {
        BatchSizer sizer = new BatchSizer(TARGET_200_MS);
        // a table where each row costs 40 µs: 5,000 rows take 200 ms
        for (int batch = 0; batch < 40; batch++) {
            sizer.observe(Duration.ofNanos(sizer.size() * 40_000L));
        }
        assertThat(sizer.size()).isBetween(4_900, 5_100);

        // the rows become ten times dearer (a trigger, a busy disk): the size follows down
        for (int batch = 0; batch < 40; batch++) {
            sizer.observe(Duration.ofNanos(sizer.size() * 400_000L));
        }
        assertThat(sizer.size()).isBetween(490, 510);
    }

    @Test
    void theSizeStaysWithinAHundredAndAHundredThousandRows() {
        BatchSizer sizer = new BatchSizer(TARGET_200_MS);
        for (int batch = 0; batch < 100; batch++) {
            sizer.observe(Duration.ZERO);
        }
        assertThat(sizer.size()).isEqualTo(100_000);

        for (int batch = 0; batch < 100; batch++) {
            sizer.observe(Duration.ofMinutes(1));
        }
        assertThat(sizer.size()).isEqualTo(100);
    }

    @Test
    void aFixedSizeIsAlwaysUsedWhateverTheBatchesTake() {
        BatchSizer sizer = new BatchSizer(TARGET_200_MS.withFixedBatchSize(37));

        sizer.observe(Duration.ofMinutes(1));
        assertThat(sizer.size()).isEqualTo(37);
        sizer.observe(Duration.ZERO);
        assertThat(sizer.size()).isEqualTo(37);
    }

    @Test
    void theTargetComesFromThePolicy() {
        BatchSizer sizer = new BatchSizer(TARGET_200_MS.withTargetBatch(Duration.ofSeconds(1)));

        sizer.observe(Duration.ofMillis(800)); // on a 200 ms target this would shrink the size

        assertThat(sizer.size()).isEqualTo(1_125);
    }

    @Test
    void aPolicyRefusesNonsense() {
        assertThatThrownBy(() -> new BackfillPolicy(Duration.ZERO, OptionalInt.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> BackfillPolicy.DEFAULT.withFixedBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive, not 0");
    }
}
