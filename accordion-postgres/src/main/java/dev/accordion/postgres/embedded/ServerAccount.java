package dev.accordion.postgres.embedded;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;

/**
 * The operating-system account the PostgreSQL processes run as. PostgreSQL refuses to run as root ("cannot be run as
 * root"), yet containers and CI machines often run the JVM as root; then the server runs as {@code nobody} (uid and
 * gid 65534) through util-linux {@code setpriv}. Any other user runs the server as itself.
 */
final class ServerAccount {

    private static final int NOBODY = 65534;

    private final boolean switchToNobody;

    private ServerAccount(boolean switchToNobody) {
        this.switchToNobody = switchToNobody;
    }

    /**
     * Asks the kernel for the real uid rather than trusting {@code user.name}, which comes from the environment and
     * is often unset or wrong in containers.
     */
    static ServerAccount forThisJvm() {
        return new ServerAccount(new UnixSystem().getUid() == 0);
    }

    /** The command line that runs {@code executable} with {@code arguments} under this account. */
    List<String> command(Path executable, String... arguments) {
        List<String> command = new ArrayList<>();
        if (switchToNobody) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    /** Makes {@code directory} the server's own: PostgreSQL insists on owning its data directory. */
    void handOver(Path directory) throws IOException {
        if (switchToNobody) {
            requireReachableByNobody(directory);
            // The "unix" attribute view takes numeric ids, so this works even where "nobody" has another name.
            Files.setAttribute(directory, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(directory, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * nobody must be able to pass through every directory above its files. Checked up front because PostgreSQL
     * would otherwise fail with misleading errors such as "cannot open shared object file".
     */
    private static void requireReachableByNobody(Path directory) throws IOException {
        for (Path ancestor = directory.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
            boolean handedOverAlready = (Integer) Files.getAttribute(ancestor, "unix:uid") == NOBODY;
            if (!handedOverAlready
                    && !Files.getPosixFilePermissions(ancestor).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("PostgreSQL refuses to run as root, so it runs as nobody, which cannot enter "
                        + ancestor + "; point java.io.tmpdir at a directory that others may enter, such as /tmp");
            }
        }
    }
}
