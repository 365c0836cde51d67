package dev.accordion;

import java.util.Optional;

/**
 * Every failure Accordion reports: a stable {@link ErrorCode} and a message that says what to do next, and maybe a
 * {@link Hint}: a setting of the caller's that may resolve it, for a front end to name in its own terms.
 */
public class AccordionException extends RuntimeException {

    private final ErrorCode code;
    private final Hint hint;

    public AccordionException(ErrorCode code, String message) {
        this(code, message, (Hint) null);
    }

    public AccordionException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    public AccordionException(ErrorCode code, String message, Hint hint) {
        super(message);
        this.code = code;
        this.hint = hint;
    }

    public AccordionException(ErrorCode code, String message, Hint hint, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.hint = hint;
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<Hint> hint() {
        return Optional.ofNullable(hint);
    }
}
