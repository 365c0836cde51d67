package dev.accordion.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** {@code accordion status} for people: a few labelled lines, then the history as a table. */
final class StatusText {

    private static final String LABEL = "%-23s%s%n";

    private StatusText() {
    }

    /** {@code public_01_users: 1 session in a 5.0 s watch ended 2026-…Z: pid 4711 "shop@public_01_users" (3 of 50 looks)}. */
    private static String clients(ClientWatchDocument watch) {
        int count = watch.sessions().size();
        String seen = watch.versionSchema() + ": " + (count == 0 ? "no session" : count == 1 ? "1 session" : count + " sessions")
                + " in a " + Durations.readable(java.time.Duration.ofMillis(watch.watchedMs())) + " watch ended "
                + watch.endedAt().replaceFirst("\\.\\d+Z$", "Z");
        return seen + watch.sessions().stream().map(s -> "pid " + s.pid() + (s.applicationName() == null || s.applicationName().isBlank()
                ? "" : " \"" + s.applicationName() + "\"") + " (" + s.timesSeen() + " of " + watch.looks() + " looks)")
                .collect(java.util.stream.Collectors.joining(", ", count == 0 ? "" : ": ", ""));
    }

    static String render(StatusDocument status) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(LABEL, "schema:", status.schema()));
        if (!status.initialized()) {
            out.append(String.format(LABEL, "state:", "Accordion has not been initialized on this database"));
            out.append(String.format(LABEL, "next step:", status.nextStep()));
            return out.toString();
        }
        out.append(String.format(LABEL, "latest version schema:",
                (status.latestVersionSchema() == null ? "none yet" : status.latestVersionSchema())
                        + (status.comingVersionSchema() == null ? "" : "; " + status.comingVersionSchema()
                                + " comes when the start of " + status.activeMigration().name() + " finishes")));
        StatusDocument.ActiveMigration active = status.activeMigration();
        out.append(String.format(LABEL, "active migration:", active == null ? "none"
                : active.name() + " (" + active.status() + "), version schema " + active.versionSchema()));
        if (active != null && active.interrupted()) {
            out.append(String.format(LABEL, "", "its " + active.interruptedPhase()
                    + " phase was interrupted: it began, did not finish, and no runner is working on it now"));
            out.append(interruption(active.interruption()));
        }
        if (active != null) {
            active.backfills().forEach(backfill -> out.append(backfill(backfill, active.interrupted())));
        }
        if (status.backfillPause() != null) {
            StatusDocument.BackfillPauseDocument pause = status.backfillPause();
            out.append(String.format(LABEL, "backfills paused:", "by " + pause.pausedBy() + " since " + time(pause.pausedAt()) + ": "
                    + (pause.reason() == null ? "no reason given" : "\"" + pause.reason() + "\"")
                    + "; \"accordion backfill resume\" lets them go on"));
        }
        out.append(String.format(LABEL, "next step:", status.nextStep()));
        for (ClientWatchDocument watch : status.clients()) {
            out.append(String.format(LABEL, "clients:", clients(watch)));
        }
        out.append(history(status));
        if (status.files() != null) {
            out.append(files(status.files()));
        }
        return out.toString();
    }

    private static String files(StatusDocument.FilesDocument files) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(LABEL, "files:", (files.pending().isEmpty() ? "none pending"
                : files.pending().size() + " pending") + " in " + files.directory()
                + (files.pending().isEmpty() ? "" : ": " + String.join(", ", files.pending()))));
        for (StatusDocument.DriftDocument drift : files.drift()) {
            out.append(String.format(LABEL, "drift:", drift.migration() + " was edited after it was applied (checksum "
                    + drift.recordedChecksum().substring(0, 12) + " when applied, " + drift.fileChecksum().substring(0, 12) + " now)"));
            drift.differences().forEach(line -> out.append(String.format(LABEL, "", "  " + line)));
        }
        if (!files.drift().isEmpty()) {
            out.append(String.format(LABEL, "", "put each file back as it was applied and make the change in a new migration"));
        }
        for (String name : files.outOfOrder()) {
            out.append(String.format(LABEL, "out of order:", name + " sorts before the latest applied migration and cannot "
                    + "run; rename its file to sort after it"));
        }
        if (!files.missing().isEmpty()) {
            out.append(String.format(LABEL, "no file:", String.join(", ", files.missing()) + " (applied, not in the directory)"));
        }
        return out.toString();
    }

    private static String interruption(StatusDocument.InterruptedPhase phase) {
        if (phase == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        String where = phase.stoppedAtStep() == null
                ? "after its last step (all " + phase.steps() + " are done; only the end of the phase was not recorded)"
                : "step " + phase.stoppedAtStep() + " of " + phase.steps() + ", " + phase.stoppedAtStepSummary() + " ("
                        + phase.stoppedAtStepId() + ")" + (phase.rowsDone() == null ? "" : String.format(Locale.ROOT, ", %,d rows done", phase.rowsDone()));
        out.append(String.format(LABEL, "stopped at:", where));
        out.append(String.format(LABEL, "last progress:", phase.lastProgressAt() == null
                ? "none (it stopped before its first step finished)" : time(phase.lastProgressAt())));
        out.append(String.format(LABEL, "to finish it:", phase.resumeCommand()));
        if (phase.rollbackCommand() != null) {
            out.append(String.format(LABEL, "to roll it back:", phase.rollbackCommand()));
        }
        return out.toString();
    }

    /**
     * Rows done, rate and time left; whether it waits and why; how long ago its runner last reported. A backfill whose
     * runner is gone ({@code stopped}) shows neither rate nor time left, which were its runner's and ended with it.
     */
    private static String backfill(StatusDocument.BackfillDocument backfill, boolean stopped) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %,d of about %,d rows", backfill.what(),
                backfill.rowsDone(), backfill.estimatedTotal()));
        if (backfill.percent() != null) {
            line.append(" (").append(backfill.percent()).append("%)");
        }
        if (!stopped && backfill.rowsPerSecond() != null) {
            line.append(String.format(Locale.ROOT, ", %,.0f rows/s", backfill.rowsPerSecond()));
        }
        if (!stopped && backfill.secondsLeft() != null) {
            line.append(", about ").append(ProgressPrinter.timeLeft(backfill.secondsLeft())).append(" left");
        }
        StringBuilder out = new StringBuilder(String.format(LABEL, "backfill:", line));
        String state = stopped ? "stopped with its runner; the command under \"to finish it\" goes on after its last batch"
                : switch (backfill.state()) {
                    case "paused" -> "paused (see \"backfills paused\" below); \"accordion backfill resume\" lets it go on";
                    case "throttled" -> "waiting: " + backfill.reason();
                    default -> "running";
                };
        out.append(String.format(LABEL, "", state));
        out.append(String.format(LABEL, "", "last report from its runner " + ago(backfill.secondsSinceReport()) + " ago"));
        return out.toString();
    }

    private static String ago(double seconds) {
        return seconds < 60 ? String.format(Locale.ROOT, "%.0f s", seconds) : ProgressPrinter.timeLeft(Math.round(seconds));
    }

    private static String history(StatusDocument status) {
        if (status.history().isEmpty()) {
            return String.format(LABEL, "history:", "none");
        }
        int nameWidth = status.history().stream().mapToInt(entry -> entry.name().length()).max().orElse(0);
        int statusWidth = status.history().stream().mapToInt(entry -> entry.status().length()).max().orElse(0);
        StringBuilder out = new StringBuilder("history:").append(System.lineSeparator());
        for (StatusDocument.HistoryEntry entry : status.history()) {
            String line = String.format("  %-" + nameWidth + "s  %-" + statusWidth + "s  started %s", entry.name(),
                    entry.status(), time(entry.startedAt()));
            if (entry.completedAt() != null) {
                line += "  completed " + time(entry.completedAt());
            }
            if (entry.baseline()) {
                line += "  (baseline)";
            } else {
                line += "  checksum " + entry.checksum().substring(0, 12);
            }
            out.append(line).append(System.lineSeparator());
            if (entry.releaseFiles() != null) {
                out.append("    release of ").append(entry.releaseFiles().size()).append(" files: ")
                        .append(entry.releaseFiles().stream().map(f -> f.name() + " (checksum " + f.checksum().substring(0, 12) + ")")
                                .collect(java.util.stream.Collectors.joining(", ")))
                        .append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    /** To the second: finer is noise for people; the JSON output keeps full precision. */
    private static String time(String instant) {
        return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
