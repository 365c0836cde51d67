package dev.accordion;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a watch of one version schema saw: the sessions that used it (Accordion's own excluded), over how long and in
 * how many looks, and when it ended. A session is seen only while it holds a lock on one of the version's views (it
 * runs a statement through it, or its open transaction did) or when its application name names the version: an idle
 * connection of a pool that names no version is invisible to it.
 */
public record ClientWatch(String versionSchema, Duration watched, int looks, Instant endedAt, List<ClientSession> sessions) {

    public ClientWatch {
        sessions = List.copyOf(sessions);
    }

    public boolean sawNone() {
        return sessions.isEmpty();
    }

    /** What a watch can and cannot see, for the people who read its result. */
    public static final String LIMITS = "a session shows only while it holds a lock on one of the version's views (a statement "
            + "through it, or an open transaction that ran one) or when its application_name ends with \"@<version schema>\"; "
            + "an idle pooled connection that names no version holds no lock and is not seen";
}
