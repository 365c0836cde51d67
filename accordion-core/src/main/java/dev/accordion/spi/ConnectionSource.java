package dev.accordion.spi;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to the target database. */
@FunctionalInterface
public interface ConnectionSource {
    Connection open() throws SQLException;
}
