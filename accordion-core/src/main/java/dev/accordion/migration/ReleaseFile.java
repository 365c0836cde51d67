package dev.accordion.migration;

import java.util.Objects;

/**
 * One file of a release, as it was when the release started: its place in the release (from 1), the migration it
 * says and that migration's checksum ({@link MigrationFingerprint}). Drift of a release is checked file by file against
 * these, since the release's own record holds the files' operations merged.
 */
public record ReleaseFile(int position, Migration file, String checksum) {

    public ReleaseFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(checksum, "checksum");
    }

    public static ReleaseFile of(int position, Migration file) {
        return new ReleaseFile(position, file, MigrationFingerprint.of(file).checksum());
    }

    public String name() {
        return file.name();
    }
}
