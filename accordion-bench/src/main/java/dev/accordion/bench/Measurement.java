package dev.accordion.bench;

/** The three costs issue 3 asks about, each with its target throughput ratio against plain PostgreSQL. */
public enum Measurement {

    BACKFILL("backfill", 0.80,
            "Accordion's backfill step vs. UPDATE products SET _acc_new_price = price / 100.0"),
    UNRELATED_COLUMN("unrelated-column UPDATE", 0.85,
            "UPDATE products SET name = name || 'x' through the old version vs. the copy"),
    MIGRATED_COLUMN("migrated-column UPDATE", 0.60,
            "UPDATE products SET price = price + 1 through the old version vs. the copy");

    private final String label;
    private final double target;
    private final String description;

    Measurement(String label, double target, String description) {
        this.label = label;
        this.target = target;
        this.description = description;
    }

    public String label() {
        return label;
    }

    /** The lowest acceptable ratio (1.0 = as fast as plain PostgreSQL). */
    public double target() {
        return target;
    }

    public String description() {
        return description;
    }
}
