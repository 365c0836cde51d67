package dev.accordion.cli.demo;

/**
 * The two versions of the demo's application: v1 calls the column {@code name}, v2 calls it
 * {@code full_name}. Each version's SQL is written out in full, as an application would have it.
 */
enum ClientVersion {
    V1("v1", "name",
            "INSERT INTO users (name, email) VALUES (?, ?) RETURNING id",
            "SELECT name FROM users WHERE id = ?"),
    V2("v2", "full_name",
            "INSERT INTO users (full_name, email) VALUES (?, ?) RETURNING id",
            "SELECT full_name FROM users WHERE id = ?");

    final String label;
    final String nameColumn;
    final String insertSql;
    final String selectNameSql;

    ClientVersion(String label, String nameColumn, String insertSql, String selectNameSql) {
        this.label = label;
        this.nameColumn = nameColumn;
        this.insertSql = insertSql;
        this.selectNameSql = selectNameSql;
    }
}
