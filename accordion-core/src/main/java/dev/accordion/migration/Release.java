package dev.accordion.migration;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.sql.Identifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Several migration files started, completed or rolled back as one: one version schema for all of them. The release
 * is a {@link Migration} of its files' operations in file order (so each operation sees the schema as the earlier
 * ones leave it, as within one file), named after the last file; its version schema is the one asked for, else the
 * last file's {@code version_schema}, else the default name for the last file. {@code files} keeps each file as it
 * was, for the history and for drift.
 */
public record Release(Migration migration, List<ReleaseFile> files) {

    public Release {
        files = List.copyOf(files);
    }

    public static Release of(List<Migration> files, Optional<Identifier> versionSchema) {
        if (files.isEmpty()) {
            throw new AccordionException(ErrorCode.USAGE, "a release needs at least one migration file, and none was given");
        }
        Set<String> names = new HashSet<>();
        List<Operation> operations = new ArrayList<>();
        List<ReleaseFile> members = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Migration file = files.get(i);
            if (!names.add(file.name())) {
                throw new AccordionException(ErrorCode.USAGE, "migration \"" + file.name() + "\" is given twice; give each file of "
                        + "a release once");
            }
            // Migrations run in file-name order, across releases too, so a release's files must be given in that order.
            if (i > 0 && file.name().compareTo(files.get(i - 1).name()) < 0) {
                throw new AccordionException(ErrorCode.USAGE, "migration \"" + file.name() + "\" is given after \""
                        + files.get(i - 1).name() + "\" but sorts before it; migrations run in file-name order, so give the files "
                        + "of a release in that order (a directory is read in that order)");
            }
            operations.addAll(file.operations());
            members.add(ReleaseFile.of(i + 1, file));
        }
        Migration last = files.get(files.size() - 1);
        Optional<Identifier> schema = versionSchema.or(last::versionSchema);
        return new Release(new Migration(last.name(), schema, operations), members);
    }

    public String name() {
        return migration.name();
    }

    /**
     * Which file each of the release's operations came from, for messages that number operations across the release:
     * {@code operations 1-2: 01_add.yaml operations 1-2; operation 3: 02_rename.yaml operation 1}.
     */
    public String operationsByFile() {
        return describe(files);
    }

    /** {@link #operationsByFile()} for files recorded in the history. */
    public static String describe(List<ReleaseFile> files) {
        List<String> parts = new ArrayList<>();
        int first = 1;
        for (ReleaseFile member : files) {
            int count = member.file().operations().size();
            String file = member.file().source().orElse(member.name());
            if (count == 0) {
                parts.add(file + ": no operations");
                continue;
            }
            parts.add(range("operation", first, count) + " = " + file + " " + range("operation", 1, count));
            first += count;
        }
        return String.join("; ", parts);
    }

    private static String range(String word, int first, int count) {
        return count == 1 ? word + " " + first : word + "s " + first + "-" + (first + count - 1);
    }
}
