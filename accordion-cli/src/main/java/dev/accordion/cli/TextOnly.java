package dev.accordion.cli;

/**
 * A command whose output is for people only (a live table, a report): it refuses {@code --output json} before it
 * runs, as a usage error, rather than print text where a script expects JSON.
 */
interface TextOnly {

    /** Why JSON does not apply, for the refusal: what the command prints instead. */
    String whyTextOnly();
}
