package dev.accordion.migration;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import java.util.List;

/** A migration file that cannot be read or that does not fit the schema; lists every problem. */
public class InvalidMigrationException extends AccordionException {

    private final List<String> problems;

    public InvalidMigrationException(String migration, List<String> problems) {
        this(ErrorCode.INVALID_MIGRATION, migration, problems);
    }

    protected InvalidMigrationException(ErrorCode code, String migration, List<String> problems) {
        super(code, "migration \"" + migration + "\" is invalid:\n  - "
                + String.join("\n  - ", problems) + "\nFix the file and run the command again; nothing of this migration was changed.");
        this.problems = List.copyOf(problems);
    }

    /**
     * A release that does not fit the schema. Its problems number operations across the whole release, so the message
     * first says which file each operation came from ({@code operationsByFile}, see {@link Release#operationsByFile()}).
     */
    public static InvalidMigrationException ofRelease(String release, String operationsByFile, List<String> problems) {
        return new InvalidMigrationException(ErrorCode.INVALID_MIGRATION, problems, "release \"" + release + "\" is invalid (its operations, numbered across its files: "
                + operationsByFile + "):\n  - " + String.join("\n  - ", problems)
                + "\nFix the files and run the command again; nothing of this release was changed.");
    }

    /** With a message written whole by the caller. */
    private InvalidMigrationException(ErrorCode code, List<String> problems, String message) {
        super(code, message);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
