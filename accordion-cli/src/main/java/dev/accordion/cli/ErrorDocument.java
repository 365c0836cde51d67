package dev.accordion.cli;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.MigrateStoppedException;
import dev.accordion.migration.InvalidMigrationException;
import java.util.List;

/**
 * {@code --output json} of a failure, on stdout: {@code {"error": {"code", "exit_code", "message", "hint", "problems"}}},
 * {@code code} being the {@link ErrorCode}'s name and {@code exit_code} the process's. {@code hint} is the CLI's hint or
 * null; {@code problems} lists an invalid migration's problems one by one, and is empty otherwise.
 */
record ErrorDocument(Error error) {

    record Error(String code, int exitCode, String message, String hint, List<String> problems) {
    }

    static ErrorDocument of(ErrorCode code, String message) {
        return new ErrorDocument(new Error(code.name(), code.exitCode(), message, null, List.of()));
    }

    static ErrorDocument of(AccordionException failure) {
        AccordionException own = failure instanceof MigrateStoppedException stopped ? stopped.failure() : failure;
        List<String> problems = own instanceof InvalidMigrationException invalid ? invalid.problems() : List.of();
        return new ErrorDocument(new Error(failure.code().name(), failure.code().exitCode(), failure.getMessage(),
                failure.hint().map(CliHints::of).orElse(null), problems));
    }
}
