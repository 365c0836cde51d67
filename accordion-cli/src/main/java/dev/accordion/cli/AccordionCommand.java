package dev.accordion.cli;

import dev.accordion.ErrorCode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code accordion} command: holds the global options and the environment they fall back to. */
@Command(name = "accordion",
        versionProvider = VersionProvider.class,
        description = "Zero-downtime PostgreSQL schema migrations: while a migration is active, clients of the old "
                + "and the new version of the schema both work, each through its own version schema.",
        synopsisSubcommandLabel = "<command>",
        sortOptions = false,
        commandListHeading = "%nCommands:%n",
        optionListHeading = "%nOptions (before or after the command):%n",
        subcommands = {
            InitCommand.class,
            StartCommand.class,
            CompleteCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            MigrateCommand.class,
            PlanCommand.class,
            ValidateCommand.class,
            LatestCommand.class,
            BaselineCommand.class,
            DemoCommand.class,
            BenchCommand.class,
        })
final class AccordionCommand implements Callable<Integer> {

    @Mixin
    private GlobalOptions options = new GlobalOptions();

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;

    AccordionCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    GlobalOptions options() {
        return options;
    }

    /** The database from {@code --url}, or from the environment. */
    DatabaseTarget target() {
        return options.target(env);
    }

    /** {@code accordion} alone is a usage error: there is nothing sensible to do by default. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: give a command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ErrorCode.USAGE.exitCode();
    }
}
