package dev.accordion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a run's rounds add up to, and the table it prints. */
class BenchReportTest {

    @Test
    void timesAreMediansAndTheRatioIsTheMedianOfTheRoundsRatios() {
        BenchReport report = threeRounds();

        assertThat(report.medianAccordion(Measurement.BACKFILL)).isEqualTo(Duration.ofMillis(5000));
        assertThat(report.medianPlain(Measurement.BACKFILL)).isEqualTo(Duration.ofMillis(3600));
        // round ratios 0.8, 0.5 and 0.9: the median round is not the one with the median times
        assertThat(report.ratio(Measurement.BACKFILL)).isCloseTo(0.8, within(1e-9));
        assertThat(report.ratio(Measurement.UNRELATED_COLUMN)).isCloseTo(0.9, within(1e-9));
        assertThat(report.ratio(Measurement.MIGRATED_COLUMN)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aRatioAtItsTargetMeetsItAndOneBelowMissesIt() {
        BenchReport report = threeRounds();

        assertThat(report.meetsTarget(Measurement.BACKFILL)).isTrue();
        assertThat(report.meetsTarget(Measurement.UNRELATED_COLUMN)).isTrue();
        assertThat(report.meetsTarget(Measurement.MIGRATED_COLUMN)).isFalse();
    }

    @Test
    void theTableHasOneLinePerMeasurementWithTimesRatioTargetAndVerdict() {
        StringWriter text = new StringWriter();
        threeRounds().print(new PrintWriter(text, true));

        assertThat(text.toString())
                .containsPattern("(?m)^measurement +accordion +plain +ratio +target$")
                .containsPattern("(?m)^backfill +5\\.000 s +3\\.600 s +0\\.80 +>= 0\\.80  met$")
                .containsPattern("(?m)^unrelated-column UPDATE +1\\.000 s +0\\.900 s +0\\.90 +>= 0\\.85  met$")
                .containsPattern("(?m)^migrated-column UPDATE +2\\.000 s +1\\.000 s +0\\.50 +>= 0\\.60  MISSED$")
                .contains("median of 3 rounds")
                .containsPattern("(?m)^  backfill +rounds: 0\\.80 0\\.50 0\\.90$");
    }

    @Test
    void aRoundMustMeasureEverything() {
        BenchReport report = new BenchReport();
        assertThatThrownBy(() -> report.add(Map.of(Measurement.BACKFILL, timing(1000, 900))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNRELATED_COLUMN");
        assertThatThrownBy(() -> report.ratio(Measurement.BACKFILL)).isInstanceOf(IllegalStateException.class);
    }

    private static BenchReport threeRounds() {
        BenchReport report = new BenchReport();
        report.add(round(timing(5000, 4000), timing(1000, 900), timing(2000, 1000)));
        report.add(round(timing(6000, 3000), timing(900, 810), timing(1800, 900)));
        report.add(round(timing(4000, 3600), timing(1100, 990), timing(2200, 1100)));
        return report;
    }

    private static Map<Measurement, Timing> round(Timing backfill, Timing unrelated, Timing migrated) {
        return Map.of(Measurement.BACKFILL, backfill, Measurement.UNRELATED_COLUMN, unrelated, Measurement.MIGRATED_COLUMN, migrated);
    }

    private static Timing timing(long accordionMillis, long plainMillis) {
        return new Timing(Duration.ofMillis(accordionMillis), Duration.ofMillis(plainMillis));
    }
}
