package dev.accordion.plan;

/** The strongest lock a step takes on one relation; {@code relation} is the name as quoted SQL. */
public record LockClaim(LockLevel level, String relation) {

    @Override
    public String toString() {
        return level.sqlName() + " on " + relation;
    }
}
