package dev.accordion.spi;

import java.util.Optional;

/**
 * How far a batched step (a backfill) has got: the position its last committed batch stopped at (opaque to
 * everyone but the step; empty before anything was visited) and how many rows it has visited so far.
 */
public record Checkpoint(Optional<String> position, long rowsDone) {

    public static final Checkpoint NONE = new Checkpoint(Optional.empty(), 0);
}
