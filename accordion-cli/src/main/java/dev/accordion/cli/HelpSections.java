package dev.accordion.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The {@code --help} of a command: its own options first, then the global ones it inherits from {@code accordion}
 * (which would otherwise bury them, there being twenty of them), each list in declaration order.
 */
final class HelpSections {

    static final String GLOBAL_OPTIONS_HEADING = "Global options (before or after the command):";

    private HelpSections() {
    }

    /** Gives every subcommand of {@code root}, at any depth, the two option lists and a short synopsis. */
    static void ownOptionsFirst(CommandLine root) {
        for (CommandLine command : root.getSubcommands().values()) {
            UsageMessageSpec usage = command.getCommandSpec().usageMessage();
            usage.sortOptions(false).abbreviateSynopsis(true).commandListHeading("%nCommands:%n");
            usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
            usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpSections::optionLists);
            ownOptionsFirst(command);
        }
    }

    private static String optionLists(Help help) {
        List<OptionSpec> shown = help.commandSpec().options().stream().filter(option -> !option.hidden()).toList();
        List<OptionSpec> own = shown.stream().filter(option -> !option.inherited()).toList();
        List<OptionSpec> global = shown.stream().filter(OptionSpec::inherited).toList();
        String ownList = own.isEmpty() ? "" : String.format("%nOptions:%n") + help.optionListExcludingGroups(own);
        return ownList + String.format("%n%s%n", GLOBAL_OPTIONS_HEADING) + help.optionListExcludingGroups(global);
    }
}
