package dev.accordion.cli;

import dev.accordion.ClientWatch;
import java.util.ArrayList;
import java.util.List;

/** How a client watch reads for people: one line per version schema, then a line per session it saw. */
final class ClientsText {

    private ClientsText() {
    }

    /** {@code watched "public_01_users" for 5.0 s (50 looks): 1 session uses it}. */
    static String watchLine(ClientWatch watch) {
        int count = watch.sessions().size();
        return "watched \"" + watch.versionSchema() + "\" for " + Durations.readable(watch.watched()) + " (" + watch.looks()
                + (watch.looks() == 1 ? " look" : " looks") + "): "
                + (count == 0 ? "no session used it" : count + (count == 1 ? " session uses it" : " sessions use it"));
    }

    static List<String> lines(List<ClientWatch> watches) {
        List<String> lines = new ArrayList<>();
        for (ClientWatch watch : watches) {
            lines.add(watchLine(watch));
            watch.sessions().forEach(session -> lines.add("  - " + session.describe(watch.looks())));
        }
        return lines;
    }
}
