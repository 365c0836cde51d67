package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.sql.SqlBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * No SQL that was formatted ever becomes a template again (issue 11): a quoted name may contain {@code {}}, which a
 * template would take for a placeholder. Java cannot tell a literal from a computed String by type, so this reads the
 * compiled code of core and of this module: the template of every {@link SqlBuilder#format} and
 * {@link SqlBuilder#fragment} call must be loaded as a constant ({@code ldc}: a literal, a text block, a constant
 * expression), never computed. Composed SQL goes in as {@code Fragment} arguments instead.
 */
class SqlTemplatesTest {

    private static final String BUILDER = Type.getInternalName(SqlBuilder.class);

    @Test
    void everyTemplateIsAConstant() throws Exception {
        List<String> computed = new ArrayList<>();
        int calls = 0;
        for (Path root : List.of(classes(SqlBuilder.class), classes(PostgresSql.class))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    calls += check(file, computed);
                }
            }
        }
        assertThat(calls).as("calls found; none would mean the scan looked in the wrong place").isGreaterThan(200);
        assertThat(computed).as("SQL templates computed at run time; pass the varying part as an argument").isEmpty();
    }

    private static int check(Path file, List<String> computed) throws IOException, AnalyzerException {
        ClassNode node = new ClassNode();
        try (InputStream in = Files.newInputStream(file)) {
            new ClassReader(in).accept(node, 0);
        }
        int calls = 0;
        if (node.name.equals(BUILDER)) {
            return 0; // fragment hands its own template on to format
        }
        for (MethodNode method : node.methods) {
            Frame<SourceValue>[] frames = null;
            for (int i = 0; i < method.instructions.size(); i++) {
                if (method.instructions.get(i) instanceof MethodInsnNode call && call.owner.equals(BUILDER)
                        && (call.name.equals("format") || call.name.equals("fragment"))) {
                    if (frames == null) {
                        frames = new Analyzer<>(new SourceInterpreter()).analyze(node.name, method);
                    }
                    calls++;
                    Frame<SourceValue> frame = frames[i];
                    // the stack holds the builder, the template, then the arguments' array
                    SourceValue template = frame.getStack(frame.getStackSize() - 2);
                    for (AbstractInsnNode source : template.insns) {
                        if (!(source instanceof LdcInsnNode)) {
                            computed.add(node.name.replace('/', '.') + "." + method.name);
                        }
                    }
                }
            }
        }
        return calls;
    }

    /** Where the classes of {@code type}'s module are: a directory, or the root of its jar (core from the local repository). */
    private static Path classes(Class<?> type) throws URISyntaxException, IOException {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Files.isDirectory(location) ? location : FileSystems.newFileSystem(location).getPath("/");
    }
}
