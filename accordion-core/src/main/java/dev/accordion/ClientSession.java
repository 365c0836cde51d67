package dev.accordion;

import java.time.Instant;

/**
 * A session a client watch saw using a version schema: who it is, and in how many of the watch's looks it was seen
 * ({@code timesSeen} of the watch's {@code looks}), by a lock on one of the version's views, by its application name
 * naming the version, or both.
 */
public record ClientSession(int pid, String user, String applicationName, String clientAddress, Instant backendStart,
                            int timesSeen, boolean heldLock, boolean namedVersion) {

    /**
     * {@code pid 4711 (user app, application "shop@public_01_users", from 10.0.0.7, connected since 2026-12-08T09:00:00Z),
     * seen in 12 of 50 looks, by a lock on a view}.
     */
    public String describe(int looks) {
        StringBuilder out = new StringBuilder("pid ").append(pid).append(" (user ").append(user);
        if (applicationName != null && !applicationName.isBlank()) {
            out.append(", application \"").append(applicationName).append('"');
        }
        out.append(", from ").append(clientAddress == null ? "a local socket" : clientAddress)
                .append(", connected since ").append(backendStart.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append(')');
        out.append(", seen in ").append(timesSeen).append(" of ").append(looks).append(looks == 1 ? " look" : " looks");
        out.append(heldLock && namedVersion ? ", by a lock and by its application name"
                : heldLock ? ", by a lock on a view" : ", by its application name");
        return out.toString();
    }
}
