package dev.accordion.postgres.sync;

import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;

/**
 * One column the sync trigger keeps filled: {@code target} (a physical column) gets {@code expression}, evaluated
 * over one version's row, whose columns are bound under that version's names.
 */
public record SyncRule(Identifier target, SqlExpr expression) {
}
