package dev.accordion.cli;

import dev.accordion.BackfillControl;
import dev.accordion.spi.BackfillPause;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code accordion backfill pause|resume}: acts on the backfills of the schema's active migration from any process,
 * through a row in the state schema that a running backfill reads between batches.
 */
@Command(name = "backfill", synopsisSubcommandLabel = "<pause|resume>",
        description = "Pause or resume the backfills of the active migration, from any process; \"accordion status\" shows "
                + "their progress.",
        subcommands = {BackfillCommand.Pause.class, BackfillCommand.Resume.class})
final class BackfillCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** {@code accordion backfill} alone: say which subcommands there are. */
    @Override
    public Integer call() {
        return ErrorReporter.missingCommand(spec.commandLine(), "give a subcommand: pause or resume");
    }

    @Command(name = "pause", description = {
        "Pause the backfills of the active migration: a running one stops after its current batch and holds no lock "
                + "while it waits; one started later (or the same one restarted) waits before its first batch. "
                + "Pausing again replaces the reason."})
    static final class Pause extends Subcommand {

        @Option(names = "--reason", paramLabel = "<text>", description = "Why, for whoever looks at \"accordion status\".")
        private String reason;

        @Override
        public Integer call() {
            BackfillControl.Paused paused = connect().pauseBackfill(reason);
            String schema = root().target().schema();
            String text = paused.wasPaused()
                    ? "still paused: backfills of migration \"" + paused.migration() + "\" on schema \"" + schema
                            + "\" were already paused" + (reason == null || reason.isBlank() ? "; the pause now gives no reason"
                                    : "; the reason is now \"" + reason + "\"")
                    : "paused: backfills of migration \"" + paused.migration() + "\" on schema \"" + schema
                            + "\" wait after their current batch (" + reasonText() + "); \"accordion backfill resume\" lets them go on";
            if (!paused.startUnderWay()) {
                text += "\nnote: the start of \"" + paused.migration() + "\" has finished, so no backfill is left to hold "
                        + "back; the pause ends with the migration (\"accordion backfill resume\" ends it now)";
            }
            result(text, new PauseDocument(paused.migration(), schema, paused.wasPaused(),
                    reason == null || reason.isBlank() ? null : reason, paused.startUnderWay()));
            return ExitCodes.SUCCESS;
        }

        private String reasonText() {
            return reason == null || reason.isBlank() ? "no reason given" : "\"" + reason + "\"";
        }
    }

    @Command(name = "resume", description = "Let paused backfills go on; they continue from their last committed batch.")
    static final class Resume extends Subcommand {

        @Override
        public Integer call() {
            Optional<BackfillPause> removed = connect().resumeBackfill();
            String schema = root().target().schema();
            result(removed.map(pause -> "resumed: backfills on schema \"" + schema + "\" go on; they were "
                            + pause.describe())
                    .orElse("not paused: backfills on schema \"" + schema + "\" were not paused; nothing to resume"),
                    new ResumeDocument(schema, removed.isPresent(),
                            removed.map(StatusDocument.BackfillPauseDocument::of).orElse(null)));
            return ExitCodes.SUCCESS;
        }
    }

    /**
     * {@code --output json} of a pause: {@code was_paused} when it replaced a standing pause; {@code start_under_way}
     * false when no backfill is left to hold back.
     */
    record PauseDocument(String migration, String schema, boolean wasPaused, String reason, boolean startUnderWay) {
    }

    /** {@code --output json} of a resume: {@code resumed} false when nothing was paused; the pause that ended, or null. */
    record ResumeDocument(String schema, boolean resumed, StatusDocument.BackfillPauseDocument pause) {
    }
}
