package dev.accordion.bench.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A client's own memory between statements: the keys of the rows it inserted (so that it updates and deletes only its
 * own rows, as an application serving one user would) and a random source seeded per client, so runs are repeatable.
 */
public final class ClientState {

    private final Random random;
    private final List<Long> ownKeys = new ArrayList<>();
    private long statements;

    ClientState(long seed) {
        this.random = new Random(seed);
    }

    /** How many statements the client has run so far (0 on the first call of its script). */
    public long statements() {
        return statements;
    }

    void counted() {
        statements++;
    }

    public Random random() {
        return random;
    }

    public void remember(long key) {
        ownKeys.add(key);
    }

    /** One of the client's own keys at random, or empty when it has none (yet, or after deleting them all). */
    public java.util.OptionalLong anyOwnKey() {
        return ownKeys.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(ownKeys.get(random.nextInt(ownKeys.size())));
    }

    public void forget(long key) {
        ownKeys.remove(key);
    }
}
