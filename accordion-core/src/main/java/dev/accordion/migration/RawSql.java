package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.SqlExpr;

/**
 * User SQL: {@code up} runs at start (or at complete with {@code onComplete}), {@code down} at
 * rollback. Accordion cannot know what it changes, so the new version's views are derived from the
 * database after it ran.
 */
public record RawSql(SqlExpr up, SqlExpr down, @JsonProperty("onComplete") Boolean onComplete) implements Operation {

    public boolean runsOnComplete() {
        return Boolean.TRUE.equals(onComplete);
    }

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        Require.present(up, "up", problems);
        if (runsOnComplete() && down != null) {
            problems.add("down cannot be combined with onComplete: SQL that runs at complete is never rolled back");
        }
        return before;
    }
}
