package dev.accordion;

import dev.accordion.execute.Executor;
import dev.accordion.spi.ClientSighting;
import dev.accordion.spi.Dialect;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches version schemas for the sessions that use them: a look every {@link #LOOK_INTERVAL} for as long as asked (one
 * look for a watch of zero), each session counted once per look however many views it locks. A statement holds its
 * locks only while it runs, so a client that queries now and then shows in some looks, not all: the watch's length is
 * what makes it likely to be seen.
 */
final class ClientWatcher {

    static final Duration LOOK_INTERVAL = Duration.ofMillis(100);

    private final Dialect dialect;
    private final Set<Integer> ownPids;

    /** {@code ownPids}: Accordion's own sessions, which are no clients. */
    ClientWatcher(Dialect dialect, Set<Integer> ownPids) {
        this.dialect = dialect;
        this.ownPids = Set.copyOf(ownPids);
    }

    List<ClientWatch> watch(Connection probe, List<String> versionSchemas, Duration watch) throws SQLException {
        Map<String, Map<String, Seen>> seen = new LinkedHashMap<>();
        versionSchemas.forEach(schema -> seen.put(schema, new LinkedHashMap<>()));
        long began = System.nanoTime();
        int looks = 0;
        while (true) {
            looks++;
            for (String schema : versionSchemas) {
                for (ClientSighting sighting : dialect.versionSchemaClients(probe, Identifier.of(schema))) {
                    if (!ownPids.contains(sighting.pid())) {
                        // a pid is reused once its backend is gone: the start time tells two sessions apart
                        seen.get(schema).computeIfAbsent(sighting.pid() + "@" + sighting.backendStart(), key -> new Seen(sighting))
                                .add(sighting);
                    }
                }
            }
            Duration left = watch.minus(Duration.ofNanos(System.nanoTime() - began));
            if (left.isNegative() || left.isZero()) {
                break;
            }
            Executor.pause(left.compareTo(LOOK_INTERVAL) < 0 ? left : LOOK_INTERVAL, "watching for clients of the version schemas");
        }
        Duration watched = Duration.ofNanos(System.nanoTime() - began);
        Instant ended = Instant.now();
        List<ClientWatch> watches = new ArrayList<>();
        for (String schema : versionSchemas) {
            watches.add(new ClientWatch(schema, watched, looks, ended,
                    seen.get(schema).values().stream().map(Seen::session).toList()));
        }
        return watches;
    }

    /** One session's sightings in one watch. */
    private static final class Seen {
        private final ClientSighting first;
        private int times;
        private boolean heldLock;
        private boolean namedVersion;

        Seen(ClientSighting first) {
            this.first = first;
        }

        void add(ClientSighting sighting) {
            times++;
            heldLock |= sighting.heldLock();
            namedVersion |= sighting.namedVersion();
        }

        ClientSession session() {
            return new ClientSession(first.pid(), first.user(), first.applicationName(), first.clientAddress(), first.backendStart(),
                    times, heldLock, namedVersion);
        }
    }
}
