package dev.accordion.spi;

import java.time.Instant;

/**
 * One session seen using a version schema in one look: it held a lock on one of the schema's views
 * ({@code heldLock}: it was running a statement through it, or is in a transaction that did), or its application name
 * names the version ({@code namedVersion}: {@code <application>@<version schema>}, the convention of version-pinned
 * connections).
 */
public record ClientSighting(int pid, String user, String applicationName, String clientAddress, Instant backendStart,
                             boolean heldLock, boolean namedVersion) {
}
