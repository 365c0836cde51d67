package dev.accordion.postgres.testing;

import java.sql.SQLException;

/**
 * A statement run through {@link TestDatabase} failed. Unchecked so tests need no {@code throws SQLException}; keeps
 * the statement and PostgreSQL's SQLSTATE so a test can assert on the kind of failure it expects.
 */
public final class StatementFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String statement;
    private final String sqlState;

    StatementFailedException(String statement, SQLException cause) {
        super("SQL failed (SQLSTATE " + cause.getSQLState() + "): " + statement + "\n" + cause.getMessage(), cause);
        this.statement = statement;
        this.sqlState = cause.getSQLState();
    }

    public String statement() {
        return statement;
    }

    /** Such as {@code 23505} for a unique violation; see the PostgreSQL manual, appendix "Error Codes". */
    public String sqlState() {
        return sqlState;
    }
}
