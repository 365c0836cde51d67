package dev.accordion.cli;

import dev.accordion.ErrorCode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The exit codes as {@code --help} lists them, built from {@link ErrorCode} so there is one source of truth. */
final class ExitCodes {

    static final int SUCCESS = 0;

    private ExitCodes() {
    }

    /** Exit code to meaning, in numeric order, for picocli's exit code list. */
    static Map<String, String> described() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(String.valueOf(SUCCESS), "success");
        Arrays.stream(ErrorCode.values())
                .sorted(Comparator.comparingInt(ErrorCode::exitCode))
                .forEach(code -> codes.put(String.valueOf(code.exitCode()), code.meaning()));
        return codes;
    }
}
