package dev.accordion.sql;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The only place SQL text is assembled. A template's {@code {}} placeholders are filled by type:
 * names are quoted, user expressions go in verbatim, literals are escaped, and any other type
 * is refused, so an unquoted name can never reach the database by accident.
 */
public final class SqlBuilder {

    private final Quoting quoting;

    public SqlBuilder(Quoting quoting) {
        this.quoting = quoting;
    }

    public String format(String template, Object... args) {
        StringBuilder out = new StringBuilder(template.length() + 32 * args.length);
        int argIndex = 0;
        int from = 0;
        for (int at = template.indexOf("{}"); at >= 0; at = template.indexOf("{}", from)) {
            if (argIndex >= args.length) {
                throw new IllegalArgumentException("too few arguments for: " + template);
            }
            out.append(template, from, at).append(render(args[argIndex++]));
            from = at + 2;
        }
        if (argIndex != args.length) {
            throw new IllegalArgumentException("too many arguments for: " + template);
        }
        return out.append(template.substring(from)).toString();
    }

    public String quote(Identifier identifier) {
        return quoting.quote(identifier);
    }

    public String quote(QualifiedName name) {
        return quoting.quote(name.schema()) + "." + quoting.quote(name.name());
    }

    public String literal(String value) {
        return quoting.literal(value);
    }

    private String render(Object arg) {
        if (arg instanceof Identifier identifier) {
            return quote(identifier);
        }
        if (arg instanceof QualifiedName name) {
            return quote(name);
        }
        if (arg instanceof SqlExpr expr) {
            return expr.text();
        }
        if (arg instanceof Literal literal) {
            return quoting.literal(literal.value());
        }
        if (arg instanceof Keyword keyword) {
            return keyword.text();
        }
        if (arg instanceof Fragment fragment) {
            return fragment.sql();
        }
        if (arg instanceof Collection<?> items) {
            return items.stream().map(this::render).collect(Collectors.joining(", "));
        }
        throw new IllegalArgumentException("cannot put a " + (arg == null ? "null" : arg.getClass().getSimpleName())
                + " into SQL: use Identifier, QualifiedName, SqlExpr, Literal, Keyword or Fragment");
    }

    /** SQL already assembled by this builder, to be nested in a larger statement. */
    public record Fragment(String sql) {
    }

    public Fragment fragment(String template, Object... args) {
        return new Fragment(format(template, args));
    }
}
