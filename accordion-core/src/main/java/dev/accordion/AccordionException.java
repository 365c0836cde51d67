package dev.accordion;

/** Every failure Accordion reports: a stable {@link ErrorCode} and a message that says what to do next. */
public class AccordionException extends RuntimeException {

    private final ErrorCode code;

    public AccordionException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public AccordionException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
