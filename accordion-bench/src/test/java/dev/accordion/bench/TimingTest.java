package dev.accordion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A throughput ratio: plain time over Accordion time, so slower than plain is below 1.0. */
class TimingTest {

    @Test
    void takingTwiceAsLongIsHalfTheThroughput() {
        assertThat(new Timing(Duration.ofSeconds(4), Duration.ofSeconds(2)).ratio()).isEqualTo(0.5);
    }

    @Test
    void takingLessTimeIsAboveOne() {
        assertThat(new Timing(Duration.ofMillis(800), Duration.ofSeconds(1)).ratio()).isCloseTo(1.25, within(1e-9));
    }

    @Test
    void theSameTimeIsOne() {
        assertThat(new Timing(Duration.ofMillis(1234), Duration.ofMillis(1234)).ratio()).isEqualTo(1.0);
    }

    @Test
    void aZeroTimeIsRefused() {
        assertThatThrownBy(() -> new Timing(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Timing(Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
