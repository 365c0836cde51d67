package dev.accordion.cli;

import dev.accordion.ClientWatch;
import java.util.List;

/** {@code --output json} of one client watch (in {@code clients}, and the last ones in {@code status}). */
record ClientWatchDocument(String versionSchema, long watchedMs, int looks, String endedAt, List<Session> sessions) {

    record Session(int pid, String user, String applicationName, String clientAddress, String backendStart, int timesSeen,
                   boolean heldLock, boolean namedVersion) {
    }

    static ClientWatchDocument of(ClientWatch watch) {
        return new ClientWatchDocument(watch.versionSchema(), watch.watched().toMillis(), watch.looks(), watch.endedAt().toString(),
                watch.sessions().stream().map(s -> new Session(s.pid(), s.user(), s.applicationName(), s.clientAddress(),
                        s.backendStart().toString(), s.timesSeen(), s.heldLock(), s.namedVersion())).toList());
    }
}
