package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.postgres.PostgresUrls;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
            result(schema, new SchemaDocument(schema));
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "url", description = "Print the JDBC URL with currentSchema set to the latest version schema; "
            + "without the password unless --with-password is given.")
    static final class UrlCommand extends Subcommand {

        @Option(names = "--with-password", description = "Keep the password of --url in the printed URL (by default it is "
                + "left out, so the URL can be logged or shared).")
        private boolean withPassword;

        @Option(names = "--application-name", paramLabel = "<name>", description = "Name the client's connections "
                + "<name>@<version schema> (ApplicationName), so that \"accordion clients\" and complete see which version "
                + "each session uses even while it is idle.")
        private String applicationName;

        @Override
        public Integer call() {
            DatabaseTarget target = root().target();
            String schema = latestVersionSchema(target.load(root().progressPrinter(err())));
            // from the user's URL, not the connection URL: clients should not call themselves "accordion"
            String url = PostgresUrls.forVersion(target.jdbcUrl(), schema, Optional.ofNullable(applicationName));
            boolean leftOut = !withPassword && !withoutPassword(url).equals(url);
            if (leftOut) {
                err().println("note: the password of the database URL is left out of the printed URL; add it where the "
                        + "client keeps secrets, or run \"accordion latest url --with-password\"");
                url = withoutPassword(url);
            }
            result(url, new UrlDocument(url, leftOut));
            return ExitCodes.SUCCESS;
        }
    }

    /** The URL without its {@code password} parameters and without a password in its user-info ({@code //user:pw@}). */
    static String withoutPassword(String jdbcUrl) {
        int question = jdbcUrl.indexOf('?');
        String base = USER_INFO_PASSWORD.matcher(question < 0 ? jdbcUrl : jdbcUrl.substring(0, question)).replaceFirst("$1@");
        if (question < 0) {
            return base;
        }
        String query = Arrays.stream(jdbcUrl.substring(question + 1).split("&"))
                .filter(pair -> !pair.isEmpty() && !pair.split("=", 2)[0].equals("password"))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? base : base + "?" + query;
    }

    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^:@/?#]*):[^@/?#]*@");

    record SchemaDocument(String schema) {
    }

    /** {@code password_left_out}: the URL given had a password, and this one has none (no --with-password). */
    record UrlDocument(String url, boolean passwordLeftOut) {
    }
}
