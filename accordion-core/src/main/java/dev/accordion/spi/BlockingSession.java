package dev.accordion.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A database session that holds a lock another one waits for. */
public record BlockingSession(int pid, String applicationName, String clientAddress, String state,
                              Optional<Instant> transactionStart, Optional<Instant> queryStart, String query) {

    public String describe(Instant now) {
        StringBuilder out = new StringBuilder("pid ").append(pid);
        if (applicationName != null && !applicationName.isBlank()) {
            out.append(" (application \"").append(applicationName).append("\")");
        }
        if (clientAddress != null) {
            out.append(" from ").append(clientAddress);
        }
        out.append(", ").append(state == null ? "state unknown" : state);
        transactionStart.ifPresent(t -> out.append(", transaction open for ").append(seconds(Duration.between(t, now))));
        queryStart.ifPresent(t -> out.append(", query started ").append(seconds(Duration.between(t, now))).append(" ago"));
        if (query != null && !query.isBlank()) {
            String shortQuery = query.strip().replaceAll("\\s+", " ");
            out.append(": ").append(shortQuery.length() > 120 ? shortQuery.substring(0, 117) + "..." : shortQuery);
        }
        return out.toString();
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", Math.max(0, duration.toMillis()) / 1000.0);
    }
}
