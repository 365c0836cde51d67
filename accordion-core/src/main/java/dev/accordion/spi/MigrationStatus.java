package dev.accordion.spi;

/** Where a migration is in its life. The -ING states mean the phase began and has not finished. */
public enum MigrationStatus {
    STARTING, ACTIVE, COMPLETING, COMPLETE, ROLLING_BACK;

    public boolean isActive() {
        return this != COMPLETE;
    }
}
