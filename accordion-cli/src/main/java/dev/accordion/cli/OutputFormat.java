package dev.accordion.cli;

/** How results are printed: for people, or as one JSON document for scripts. */
enum OutputFormat {
    TEXT, JSON
}
