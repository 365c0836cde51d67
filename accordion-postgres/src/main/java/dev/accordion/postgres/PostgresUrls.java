package dev.accordion.postgres;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Database URLs as people give them ({@code jdbc:postgresql://…}, or libpq's {@code postgres://…}
 * as Heroku, Docker images and most PaaS print them), turned into the JDBC URLs the driver takes.
 */
public final class PostgresUrls {

    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final int DEFAULT_PORT = 5432;

    /** {@code scheme://[userinfo@]hosts[/database][?query]}, hosts being {@code host[:port]} separated by commas. */
    private static final Pattern LIBPQ_URL = Pattern.compile(
            "(?i:postgres|postgresql)://(?:(?<userinfo>[^@/?#]*)@)?(?<hosts>[^/?#]*)(?:/(?<database>[^?#]*))?(?:\\?(?<query>[^#]*))?");

    /** One {@code host[:port]}; an IPv6 host keeps its brackets, as JDBC URLs want them. */
    private static final Pattern HOST_PORT = Pattern.compile("(?<host>\\[[^\\]]*\\]|[^:\\[\\]]*)(?::(?<port>\\d*))?");

    private static final String ACCEPTED_FORMS = "give a JDBC URL (jdbc:postgresql://host:5432/database?user=name) "
            + "or a PostgreSQL URL (postgres://user:password@host:5432/database, postgresql://... also works)";

    private PostgresUrls() {
    }

    /**
     * The URL of a client of one version: {@code currentSchema} selects {@code versionSchema} (pgjdbc sends it as the
     * search_path, so a name that needs it is double-quoted), and with an {@code application} its connections are named
     * {@code <application>@<versionSchema>}, the convention by which Accordion's client watch sees which version an idle
     * connection uses.
     */
    public static String forVersion(String jdbcUrl, String versionSchema, Optional<String> application) {
        String url = withParameter(jdbcUrl, "currentSchema", searchPathEntry(versionSchema));
        return application.map(name -> withParameter(url, "ApplicationName", name + "@" + versionSchema)).orElse(url);
    }

    /** A schema as one search_path entry: as it is when PostgreSQL would read it unchanged, else double-quoted. */
    static String searchPathEntry(String schema) {
        return PLAIN_IDENTIFIER.matcher(schema).matches() ? schema : "\"" + schema.replace("\"", "\"\"") + "\"";
    }

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * Returns the JDBC URL for any accepted form: JDBC URLs unchanged; for {@code postgres://} and
     * {@code postgresql://} URLs the user and password become query parameters and the port defaults to 5432.
     */
    public static String toJdbc(String url) {
        if (url == null || url.isBlank()) {
            throw new AccordionException(ErrorCode.USAGE, "the database URL is empty; " + ACCEPTED_FORMS);
        }
        String trimmed = url.strip();
        if (trimmed.startsWith(JDBC_PREFIX)) {
            return trimmed;
        }
        Matcher libpq = LIBPQ_URL.matcher(trimmed);
        if (!libpq.matches()) {
            throw new AccordionException(ErrorCode.USAGE, "cannot use the database URL \"" + withoutPassword(trimmed)
                    + "\": " + ACCEPTED_FORMS);
        }
        try {
            return fromLibpq(libpq, trimmed);
        } catch (IllegalArgumentException e) {
            throw new AccordionException(ErrorCode.USAGE, "cannot decode the database URL \"" + withoutPassword(trimmed)
                    + "\": " + e.getMessage() + "; write special characters as %XX (for example @ as %40)");
        }
    }

    private static String fromLibpq(Matcher libpq, String url) {
        List<String> parameters = new ArrayList<>();
        String userinfo = libpq.group("userinfo");
        if (userinfo != null && !userinfo.isEmpty()) {
            int colon = userinfo.indexOf(':');
            String user = colon < 0 ? userinfo : userinfo.substring(0, colon);
            if (!user.isEmpty()) {
                parameters.add("user=" + encode(percentDecode(user)));
            }
            if (colon >= 0) {
                parameters.add("password=" + encode(percentDecode(userinfo.substring(colon + 1))));
            }
        }
        String query = libpq.group("query");
        if (query != null) {
            splitQuery(query).stream()
                    .map(pair -> encode(percentDecode(keyOf(pair))) + "=" + encode(percentDecode(valueOf(pair))))
                    .forEach(parameters::add);
        }
        String database = libpq.group("database") == null ? "" : encode(percentDecode(libpq.group("database")));
        return JDBC_PREFIX + "//" + hostsOf(libpq.group("hosts"), url) + "/" + database
                + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
    }

    /** Sets a query parameter of a JDBC URL: replaces every occurrence of {@code key}, or adds it. */
    public static String withParameter(String jdbcUrl, String key, String value) {
        int question = jdbcUrl.indexOf('?');
        String base = question < 0 ? jdbcUrl : jdbcUrl.substring(0, question);
        List<String> parameters = new ArrayList<>();
        String replacement = key + "=" + encode(value);
        boolean replaced = false;
        for (String pair : question < 0 ? List.<String>of() : splitQuery(jdbcUrl.substring(question + 1))) {
            if (!keyOf(pair).equals(key)) {
                parameters.add(pair);
            } else if (!replaced) {
                // the first occurrence keeps its place, so the URL reads as the user wrote it
                parameters.add(replacement);
                replaced = true;
            }
        }
        if (!replaced) {
            parameters.add(replacement);
        }
        return base + "?" + String.join("&", parameters);
    }

    /** The decoded value of a query parameter of a JDBC URL, if it has one. */
    public static Optional<String> parameter(String jdbcUrl, String key) {
        int question = jdbcUrl.indexOf('?');
        if (question < 0) {
            return Optional.empty();
        }
        return splitQuery(jdbcUrl.substring(question + 1)).stream()
                .filter(pair -> keyOf(pair).equals(key))
                .map(pair -> URLDecoder.decode(valueOf(pair), StandardCharsets.UTF_8))
                .findFirst();
    }

    /** The same JDBC URL naming another database on the same server(s), with the same parameters. */
    public static String withDatabase(String jdbcUrl, String database) {
        int question = jdbcUrl.indexOf('?');
        String base = question < 0 ? jdbcUrl : jdbcUrl.substring(0, question);
        String query = question < 0 ? "" : jdbcUrl.substring(question);
        if (!base.startsWith(JDBC_PREFIX)) {
            throw new AccordionException(ErrorCode.USAGE, "\"" + withoutPassword(jdbcUrl) + "\" is not a JDBC URL; "
                    + ACCEPTED_FORMS);
        }
        String rest = base.substring(JDBC_PREFIX.length());
        String servers = "";
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            servers = slash < 0 ? rest : rest.substring(0, slash);
        }
        // pgjdbc decodes the database name, so it is written encoded
        return JDBC_PREFIX + servers + (servers.isEmpty() ? "" : "/") + encode(database) + query;
    }

    private static String hostsOf(String hosts, String url) {
        if (hosts.isEmpty()) {
            return "localhost:" + DEFAULT_PORT;
        }
        List<String> result = new ArrayList<>();
        for (String hostPort : hosts.split(",", -1)) {
            Matcher matcher = HOST_PORT.matcher(hostPort);
            if (!matcher.matches() || matcher.group("host").isEmpty()) {
                throw new AccordionException(ErrorCode.USAGE, "cannot read host \"" + hostPort + "\" in the database URL \""
                        + withoutPassword(url) + "\": " + ACCEPTED_FORMS);
            }
            String port = matcher.group("port");
            result.add(matcher.group("host") + ":" + (port == null || port.isEmpty() ? DEFAULT_PORT : port));
        }
        return String.join(",", result);
    }

    private static List<String> splitQuery(String query) {
        return List.of(query.split("&")).stream().filter(pair -> !pair.isEmpty()).toList();
    }

    private static String keyOf(String pair) {
        int equals = pair.indexOf('=');
        return equals < 0 ? pair : pair.substring(0, equals);
    }

    private static String valueOf(String pair) {
        int equals = pair.indexOf('=');
        return equals < 0 ? "" : pair.substring(equals + 1);
    }

    /** URL percent-decoding in which {@code +} stays a plus (it means a space only in HTML forms). */
    private static String percentDecode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Encoded the way pgjdbc decodes (with {@link URLDecoder}), so every character survives. */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The URL as it may appear in an error message: a password never does. */
    private static String withoutPassword(String url) {
        return url.replaceAll("(//[^:@/?#]*):[^@/?#]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
