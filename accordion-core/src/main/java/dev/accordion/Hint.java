package dev.accordion;

/**
 * A setting of the library's caller that may resolve a failure, carried by an {@link AccordionException} so that a
 * front end (the CLI) can name its own way to change it; the message itself speaks of the setting in the library's terms.
 */
public enum Hint {
    /** The connection settings (server, port, database, user) may name the wrong database. */
    CONNECTION_SETTINGS,
    /** A longer lock retry deadline ({@code Builder.lockRetryDeadline}) keeps retrying a busy lock for longer. */
    LOCK_RETRY_DEADLINE,
    /** A longer runner wait ({@code Builder.runnerWait}) waits longer for the other runner on the schema. */
    RUNNER_WAIT,
    /** Starting again with {@link Accordion.EditedFile#RESUME_RECORDED} finishes the recorded copy as it is. */
    RESUME_RECORDED,
    /** Completing without the agreement check ({@code Accordion.complete(true)}) drops the old side as it is. */
    SKIP_AGREEMENT_CHECK,
    /** Waiting for clients ({@code CompleteOptions.waitingForClients}) or forcing complete goes on without them. */
    WAIT_FOR_CLIENTS,
    /** Completing without its checks ({@code CompleteOptions.FORCE}) drops what queries may still use. */
    COMPLETE_ANYWAY,
    /** A longer abort limit ({@code BackfillThrottling.abortAfter}) waits longer for a degraded server to recover. */
    ABORT_LIMIT,
    /** Another state schema ({@code Builder.stateSchema}) may be one the user can use. */
    STATE_SCHEMA
}
