package dev.accordion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The median of a few rounds, whatever order they come in. */
class MediansTest {

    @Test
    void anOddCountGivesTheMiddleValue() {
        assertThat(Medians.of(List.of(0.9, 0.2, 0.5, 0.7, 0.1))).isEqualTo(0.5);
    }

    @Test
    void anEvenCountGivesTheMeanOfTheTwoMiddleValues() {
        assertThat(Medians.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void oneValueIsItsOwnMedian() {
        assertThat(Medians.of(List.of(0.42))).isEqualTo(0.42);
    }

    @Test
    void durationsTakeTheMiddleOneOrTheMeanOfTwo() {
        assertThat(Medians.ofDurations(List.of(Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(200))))
                .isEqualTo(Duration.ofMillis(200));
        assertThat(Medians.ofDurations(List.of(Duration.ofMillis(400), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(900)))).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void noValuesHaveNoMedian() {
        assertThatThrownBy(() -> Medians.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Medians.ofDurations(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
