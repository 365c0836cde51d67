package dev.accordion.cli;

import dev.accordion.ClientWatch;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "clients", description = "Watch each live version schema (the latest, and the old one while a migration is "
        + "active) and list the sessions that use it: pid, user, application, client address, since when, and how often "
        + "seen. Complete makes the same watch of the old version before it contracts.")
final class ClientsCommand extends Subcommand {

    @Option(names = "--watch", paramLabel = "<duration>", defaultValue = "5s",
            description = "How long to watch, e.g. 5s, 30s, 2m; 0 is a single look (default: ${DEFAULT-VALUE}).")
    String watch;

    @Override
    public Integer call() {
        List<ClientWatch> watches = connect().clients(Durations.zeroOrMore("--watch", watch));
        List<String> lines = new ArrayList<>(ClientsText.lines(watches));
        lines.add("note: " + ClientWatch.LIMITS);
        result(String.join("\n", lines), new ClientsDocument(watches.stream().map(ClientWatchDocument::of).toList(), ClientWatch.LIMITS));
        return ExitCodes.SUCCESS;
    }

    /** {@code --output json}: a watch per live version schema, and what a watch cannot see. */
    record ClientsDocument(List<ClientWatchDocument> versions, String limits) {
    }
}
