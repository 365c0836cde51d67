package dev.accordion.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How many columns the terminal has, for the progress bar: the {@code COLUMNS} variable when it is exported, else what
 * {@code stty size} reads from {@code /dev/tty}, else {@value #DEFAULT}. Picocli's own detection (its usage help's
 * auto width) is not used: it never answers less than 55 columns, and a bar as wide as that would wrap on a narrower
 * terminal.
 */
final class TerminalWidth {

    static final int DEFAULT = 80;

    private TerminalWidth() {
    }

    /** The width of the terminal the CLI runs in. */
    static int detect(Map<String, String> env) {
        return of(env, TerminalWidth::stty);
    }

    /** {@code COLUMNS} from {@code env}, else what {@code stty} answers, else {@value #DEFAULT}. */
    static int of(Map<String, String> env, Supplier<OptionalInt> stty) {
        OptionalInt columns = positive(env.get("COLUMNS"));
        return columns.isPresent() ? columns.getAsInt() : stty.get().orElse(DEFAULT);
    }

    /** The columns of {@code stty size} ("rows columns") on the controlling terminal; empty when there is none. */
    static OptionalInt stty() {
        try {
            Process stty = new ProcessBuilder("stty", "size")
                    .redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!stty.waitFor(1, TimeUnit.SECONDS)) {
                stty.destroy();
                return OptionalInt.empty();
            }
            String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+");
            return stty.exitValue() == 0 && size.length == 2 ? positive(size[1]) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    private static OptionalInt positive(String number) {
        if (number == null || !number.strip().matches("[0-9]{1,5}")) {
            return OptionalInt.empty();
        }
        int value = Integer.parseInt(number.strip());
        return value > 0 ? OptionalInt.of(value) : OptionalInt.empty();
    }
}
