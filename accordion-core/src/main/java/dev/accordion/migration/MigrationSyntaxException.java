package dev.accordion.migration;

import dev.accordion.ErrorCode;
import java.util.List;

/**
 * A migration file that is not valid YAML or JSON at all, so it says nothing yet about the schema: a bad input file
 * ({@link ErrorCode#USAGE}) rather than an invalid migration. Its problem names the file, line and column.
 */
public final class MigrationSyntaxException extends InvalidMigrationException {

    public MigrationSyntaxException(String migration, String problem) {
        super(ErrorCode.USAGE, migration, List.of(problem));
    }
}
