package dev.accordion.plan;

/** The three things a migration can be told to do; each is planned up front and runs as a journal of steps. */
public enum Phase {
    START, COMPLETE, ROLLBACK;

    public String label() {
        return name().toLowerCase();
    }
}
