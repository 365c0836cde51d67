package dev.accordion;

import dev.accordion.spi.MigrationRecord;
import java.util.List;
import java.util.Optional;

/**
 * What {@code accordion status} reports. {@code interruption} is present when the active migration's phase began and
 * no runner is working on it now; {@code nextStep} says which command moves things on.
 */
public record Status(String schema, boolean initialized, Optional<String> latestVersionSchema,
                     Optional<MigrationRecord> active, Optional<Interruption> interruption, String nextStep,
                     List<MigrationRecord> history) {

    public boolean interrupted() {
        return interruption.isPresent();
    }
}
