package dev.accordion.cli;

import dev.accordion.Hint;

/** What the CLI adds to a library failure's {@link Hint}: the option or command of its own that changes that setting. */
final class CliHints {

    private CliHints() {
    }

    static String of(Hint hint) {
        return switch (hint) {
            case CONNECTION_SETTINGS -> "the database is the one --url names, else the environment variable "
                    + GlobalOptions.URL_VARIABLE;
            case LOCK_RETRY_DEADLINE -> "\"--lock-retry-deadline <seconds>\" keeps retrying for longer (default 300 s); "
                    + "each attempt still waits no longer than --lock-timeout";
            case RUNNER_WAIT -> "\"--wait <seconds>\" waits longer for the other runner (default 10 s)";
            case RESUME_RECORDED -> "\"accordion start --resume-recorded <file>\" (with the same --schema and --state-schema) "
                    + "finishes the recorded copy as it is";
            case SKIP_AGREEMENT_CHECK -> "\"accordion complete --force\" completes without the check, dropping the old side as it is";
            case WAIT_FOR_CLIENTS -> "\"accordion complete --wait-for-clients <duration>\" waits until a whole watch sees none "
                    + "(e.g. 10m); \"accordion complete --force\" completes at once, without its checks";
            case COMPLETE_ANYWAY -> "\"accordion complete --force\" completes without its checks";
            case ABORT_LIMIT -> "\"--abort-after <duration>\" sets how long the server may stay degraded before start gives up";
            case STATE_SCHEMA -> "\"--state-schema <name>\" chooses another state schema";
        };
    }
}
