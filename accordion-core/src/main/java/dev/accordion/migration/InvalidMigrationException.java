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

    public List<String> problems() {
        return problems;
    }
}
