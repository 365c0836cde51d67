package dev.accordion.spi;

import java.time.Instant;
import java.util.Optional;

/** How often an index was scanned since the server's statistics were last reset, and when last (where the server says). */
public record IndexUse(String index, long scans, Optional<Instant> lastScan) {
}
