package dev.accordion.plan;

/** Table lock modes, weakest first, as PostgreSQL names them. */
public enum LockLevel {
    ACCESS_SHARE, ROW_SHARE, ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE;

    public String sqlName() {
        return name().replace('_', ' ');
    }
}
