package dev.accordion.schema;

public enum ConstraintType {
    PRIMARY_KEY, UNIQUE, CHECK, FOREIGN_KEY, EXCLUDE
}
