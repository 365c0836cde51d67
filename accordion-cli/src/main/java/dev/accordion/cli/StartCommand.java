package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.CompleteOptions;
import dev.accordion.ErrorCode;
import dev.accordion.PhaseResult;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.migration.Release;
import dev.accordion.sql.Identifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = {
    "Start a migration: expand the schema and create the new version schema, so that clients of the old and the "
            + "new version both work. Run it again after a crash to continue where it stopped.",
    "Given several files or a directory, the files not yet applied are started as one release: one version schema, "
            + "expanded, backfilled and verified together; complete and rollback then act on the whole release."})
final class StartCommand extends Subcommand {

    @Parameters(paramLabel = "<file>", arity = "1..*", description = "The migration file (YAML or JSON); its name is the "
            + "migration's name. Several files, or a directory (its files in name order, those already applied left out), "
            + "make one release named after its last file.")
    private List<Path> files;

    @Option(names = "--version-schema", paramLabel = "<name>", description = "The release's version schema (default: the "
            + "last file's version_schema, else the default name for the last file).")
    private String versionSchema;

    @Option(names = "--complete", description = "Complete the migration right after starting it (when no client needs the old version).")
    private boolean complete;

    @Option(names = "--resume-recorded", description = "When an interrupted start of this migration recorded a copy "
            + "that differs from the file, go on with the recorded copy (by default the file replaces a copy whose start "
            + "changed nothing, and start refuses once it has).")
    private boolean resumeRecorded;

    @Override
    public Integer call() {
        Accordion.EditedFile ifEdited = resumeRecorded ? Accordion.EditedFile.RESUME_RECORDED : Accordion.EditedFile.TAKE_IF_NOTHING_CHANGED;
        if (files.size() == 1 && !Files.isDirectory(files.get(0)) && versionSchema == null) {
            // one file: a migration of its own, as start has always made
            Migration migration = MigrationReader.read(files.get(0));
            PhaseResult started = connect().start(migration, complete, ifEdited);
            result(PhaseResultLine.of(started), PhaseDocument.of(started));
            return ExitCodes.SUCCESS;
        }
        // read every file before connecting: a broken file fails at once, with or without a database
        List<Migration> given = new ArrayList<>();
        Set<String> fromDirectories = new HashSet<>();
        for (Path path : files) {
            if (Files.isDirectory(path)) {
                List<Migration> inDirectory = MigrationReader.readDirectory(path);
                inDirectory.forEach(m -> fromDirectories.add(m.name()));
                given.addAll(inDirectory);
            } else {
                given.add(MigrationReader.read(path));
            }
        }
        Optional<Identifier> schemaAsked = Optional.ofNullable(versionSchema).map(Identifier::of);
        Accordion accordion = connect();
        // A directory is the team's whole history: its applied files are left out. A file named on its own is meant to
        // run, so one already applied is refused (by the facade, naming where it is), not skipped.
        Set<String> unapplied = accordion.unappliedFiles(given).stream().map(Migration::name).collect(Collectors.toSet());
        List<Migration> skipped = given.stream().filter(m -> fromDirectories.contains(m.name()) && !unapplied.contains(m.name())).toList();
        List<Migration> releaseFiles = given.stream().filter(m -> !skipped.contains(m)).toList();
        if (!skipped.isEmpty()) {
            err().println("left out, already applied: " + skipped.stream().map(Migration::name).collect(Collectors.joining(", ")));
        }
        if (releaseFiles.isEmpty()) {
            throw new AccordionException(ErrorCode.STATE_CONFLICT, "nothing to start: every migration in "
                    + files.stream().map(Path::toString).collect(Collectors.joining(", ")) + " is already applied to schema \""
                    + accordion.schema() + "\"; add a new migration file to start it (\"accordion status <dir>\" shows the files)");
        }
        PhaseResult started = accordion.start(Release.of(releaseFiles, schemaAsked), complete, ifEdited, CompleteOptions.SAFE);
        String members = releaseFiles.size() == 1 ? "" : " (release of " + releaseFiles.size() + " files: "
                + releaseFiles.stream().map(Migration::name).collect(Collectors.joining(", ")) + ")";
        result(PhaseResultLine.of(started) + members, PhaseDocument.of(started));
        return ExitCodes.SUCCESS;
    }
}
