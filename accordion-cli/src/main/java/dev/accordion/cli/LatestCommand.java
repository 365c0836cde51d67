package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.postgres.PostgresUrls;
import picocli.CommandLine.Command;

/** Has no behaviour of its own: picocli reports a missing subcommand as a usage error. */
@Command(name = "latest", description = "Print what new clients should use: the latest version schema, or a JDBC URL for it.",
        subcommands = {LatestCommand.SchemaCommand.class, LatestCommand.UrlCommand.class})
final class LatestCommand {

    /** The active migration's version schema, else the latest complete one's; an error when there is none. */
    static String latestVersionSchema(Accordion accordion) {
        return accordion.latestVersionSchema().map(Object::toString).orElseThrow(() -> new AccordionException(
                ErrorCode.STATE_CONFLICT, "schema \"" + accordion.schema() + "\" has no version yet: run \"accordion start <file>\" "
                        + "(or \"accordion baseline <name>\" for a schema that already has tables) first"));
    }

    @Command(name = "schema", description = "Print the latest version schema's name (for search_path).")
    static final class SchemaCommand extends Subcommand {

        @Override
        public Integer call() {
            String schema = latestVersionSchema(connect());
            switch (options().output()) {
                case TEXT -> out().println(schema);
                case JSON -> JsonOutput.print(out(), new SchemaDocument(schema));
            }
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "url", description = "Print the JDBC URL with currentSchema set to the latest version schema.")
    static final class UrlCommand extends Subcommand {

        @Override
        public Integer call() {
            DatabaseTarget target = root().target();
            String schema = latestVersionSchema(target.load(root().progressPrinter(err())));
            // from the user's URL, not the connection URL: clients should not call themselves "accordion"
            String url = PostgresUrls.withParameter(target.jdbcUrl(), "currentSchema", schema);
            switch (options().output()) {
                case TEXT -> out().println(url);
                case JSON -> JsonOutput.print(out(), new UrlDocument(url));
            }
            return ExitCodes.SUCCESS;
        }
    }

    record SchemaDocument(String schema) {
    }

    record UrlDocument(String url) {
    }
}
