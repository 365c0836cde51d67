package dev.accordion.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code accordion help [command [subcommand]]}: the help of accordion or of one command. Picocli's own
 * {@code HelpCommand} cannot be used, as it declares {@code -h}/{@code --help} too, which every command already inherits
 * from the global options.
 */
@Command(name = "help", helpCommand = true, description = "Show the help of accordion, or of the command given.")
final class HelpTopicCommand implements IHelpCommandInitializable2, Runnable {

    @Parameters(paramLabel = "<command>", arity = "0..*", description = "The command, for example start or latest url.")
    private List<String> command = List.of();

    private CommandLine self;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
    }

    @Override
    public void run() {
        CommandLine topic = self.getParent();
        for (String name : command) {
            CommandLine sub = topic.getSubcommands().get(name);
            if (sub == null) {
                throw new ParameterException(self, "unknown command '" + String.join(" ", command) + "'; \""
                        + topic.getCommandSpec().qualifiedName() + " --help\" lists the commands");
            }
            topic = sub;
        }
        topic.usage(self.getOut());
    }
}
