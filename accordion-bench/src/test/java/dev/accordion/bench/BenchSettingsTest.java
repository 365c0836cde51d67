package dev.accordion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.execute.BackfillPolicy;
import org.junit.jupiter.api.Test;

/** Settings out of range are refused with the option's name, before any database is touched. */
class BenchSettingsTest {

    @Test
    void sensibleSettingsAreKept() {
        BenchSettings settings = new BenchSettings(1000, 3, 90, BackfillPolicy.DEFAULT);
        assertThat(settings.rows()).isEqualTo(1000);
        assertThat(settings.rounds()).isEqualTo(3);
        assertThat(settings.fillfactor()).isEqualTo(90);
    }

    @Test
    void noRowsNoRoundsAndAnImpossibleFillfactorAreRefused() {
        assertThatThrownBy(() -> new BenchSettings(0, 5, 100, BackfillPolicy.DEFAULT)).hasMessage("--rows must be at least 1, not 0");
        assertThatThrownBy(() -> new BenchSettings(10, 0, 100, BackfillPolicy.DEFAULT)).hasMessage("--rounds must be at least 1, not 0");
        assertThatThrownBy(() -> new BenchSettings(10, 5, 101, BackfillPolicy.DEFAULT)).hasMessageContaining("--fillfactor")
                .hasMessageContaining("101");
        assertThatThrownBy(() -> new BenchSettings(10, 5, 9, BackfillPolicy.DEFAULT)).hasMessageContaining("--fillfactor");
    }

    @Test
    void theBenchmarkOwnsItsTablesStateAndVersionSchemasOnly() {
        assertThat(PriceChangeBench.ownSchemas()).extracting(i -> i.name()).containsExactlyInAnyOrder(
                "accordion_bench", "accordion_bench_plain", "accordion_bench_state",
                "accordion_bench_00_products", "accordion_bench_01_price_in_dollars");
    }
}
