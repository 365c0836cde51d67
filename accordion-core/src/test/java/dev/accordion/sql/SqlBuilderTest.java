package dev.accordion.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlBuilderTest {

    private final SqlBuilder sql = new SqlBuilder(new Quoting() {
        @Override
        public String quote(Identifier identifier) {
            return '"' + identifier.name().replace("\"", "\"\"") + '"';
        }

        @Override
        public String literal(String value) {
            return '\'' + value.replace("'", "''") + '\'';
        }
    });

    @Test
    void quotesNamesAndLeavesExpressionsAlone() {
        assertThat(sql.format("ALTER TABLE {} ADD {} DEFAULT {} -- {}", QualifiedName.of("public", "Users"),
                Identifier.of("we\"ird"), SqlExpr.of("lower('X')"), Literal.of("it's")))
                .isEqualTo("ALTER TABLE \"public\".\"Users\" ADD \"we\"\"ird\" DEFAULT lower('X') -- 'it''s'");
    }

    @Test
    void joinsListsOfNames() {
        assertThat(sql.format("({})", List.of(Identifier.of("a"), Identifier.of("b")))).isEqualTo("(\"a\", \"b\")");
    }

    @Test
    void refusesPlainStringsSoNoNameGoesInUnquoted() {
        assertThatThrownBy(() -> sql.format("DROP TABLE {}", "users"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot put a String into SQL");
    }

    @Test
    void refusesAMismatchOfPlaceholdersAndArguments() {
        assertThatThrownBy(() -> sql.format("{} {}", Identifier.of("a"))).hasMessageContaining("too few");
        assertThatThrownBy(() -> sql.format("{}", Identifier.of("a"), Identifier.of("b"))).hasMessageContaining("too many");
    }
}
