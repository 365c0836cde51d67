package dev.accordion.postgres.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpressionColumnsTest {

    private static final List<Identifier> COLUMNS = List.of(Identifier.of("price"), Identifier.of("Name"),
            Identifier.of("currency"), Identifier.of("note"), Identifier.of("id"));

    @Test
    void findsUnquotedNamesFoldedToLowerCaseAndQuotedNamesAsWritten() {
        assertThat(ExpressionColumns.readBy(SqlExpr.of("PRICE / 100.0 || \"Name\""), COLUMNS))
                .containsExactlyInAnyOrder(Identifier.of("price"), Identifier.of("Name"));
        assertThat(ExpressionColumns.readBy(SqlExpr.of("name"), COLUMNS)).as("unquoted name folds to lower case").isEmpty();
    }

    @Test
    void ignoresNamesInsideLiteralsAndComments() {
        String sql = "'price' || E'it\\'s currency' || $$note$$ || $tag$id$tag$ -- price\n /* currency */ || 1";
        assertThat(ExpressionColumns.readBy(SqlExpr.of(sql), COLUMNS)).isEmpty();
    }

    @Test
    void countsNamesInSubSelectsSinceTheyMayReadTheRow() {
        assertThat(ExpressionColumns.readBy(SqlExpr.of("(SELECT rate FROM rates r WHERE r.code = currency) * price"), COLUMNS))
                .containsExactlyInAnyOrder(Identifier.of("currency"), Identifier.of("price"));
    }

    @Test
    void readsQuotedNamesWithDoubledQuotes() {
        assertThat(ExpressionColumns.names("\"a\"\"b\" + x")).containsExactlyInAnyOrder("a\"b", "x");
    }

    @Test
    void positionalParametersAreNotDollarQuotes() {
        assertThat(ExpressionColumns.names("$1 + price")).contains("price");
    }
}
