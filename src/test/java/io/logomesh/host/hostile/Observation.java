package io.logomesh.host.hostile;

import org.assertj.core.api.SoftAssertions;

import java.util.List;

/**
 * What one hostile case observed, and whether that was containment. Each expectation of the case is a
 * (soft) assertion made on this object with the observed value itself, and {@link #how} is written from the
 * same observed values; the case's row in the containment table ({@link #row()}) says {@code contained =
 * yes} only when every expectation held and the case ran to its end. A case that was not contained writes
 * {@code no} with what failed, then fails ({@link #assertContained()}). Times are taken from
 * {@link #start()}.
 */
final class Observation extends SoftAssertions {

    /** How much of a failure message goes into the table. */
    private static final int MAX_FAILURE_CHARS = 300;

    private final String runtime;
    private final String caseName;
    private long start = System.nanoTime();
    private long noticeMs = -1;
    private long recoverMs = -1;
    private String how = "";
    private Throwable aborted;

    Observation(String runtime, String caseName) {
        this.runtime = runtime;
        this.caseName = caseName;
    }

    /** The attack starts now (times are measured from here). */
    void start() {
        start = System.nanoTime();
    }

    /** The host's reaction is visible now; returns the milliseconds since {@link #start()}. */
    long noticed() {
        noticeMs = millisSinceStart();
        return noticeMs;
    }

    /** The host and the neighbour are checked healthy now. */
    void recovered() {
        recoverMs = millisSinceStart();
    }

    /** What the case observed, in one line built from the observed values (which limit or check fired). */
    void how(String observed) {
        how = observed;
    }

    /** The case stopped early: an exception or a hard assertion (e.g. an action that must answer 200). */
    void aborted(Throwable cause) {
        aborted = cause;
    }

    long millisSinceStart() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Whether every expectation held and the case ran to its end. */
    boolean contained() {
        return aborted == null && errorsCollected().isEmpty();
    }

    /** The table row: for a case not contained, {@code how} starts with what failed. */
    ContainmentLog.Row row() {
        long recovered = recoverMs < 0 && contained() ? millisSinceStart() : recoverMs;
        String text = contained() ? how : "NOT contained: " + firstFailure() + (how.isBlank() ? "" : "; observed: " + how);
        return new ContainmentLog.Row(runtime, caseName, contained(), text, noticeMs, recovered);
    }

    /** Fails with every failed expectation (and the exception that stopped the case) unless contained. */
    void assertContained() {
        if (aborted == null) {
            assertAll();
            return;
        }
        AssertionError error = new AssertionError(caseName + " (" + runtime + ") was not contained: "
                + aborted.getMessage(), aborted);
        errorsCollected().forEach(error::addSuppressed);
        throw error;
    }

    private String firstFailure() {
        List<Throwable> errors = errorsCollected();
        String message = !errors.isEmpty() ? errors.get(0).getMessage()
                : aborted.getClass().getSimpleName() + ": " + aborted.getMessage();
        String line = String.valueOf(message).replaceAll("\\s+", " ").strip();
        String more = errors.size() > 1 ? " (+" + (errors.size() - 1) + " more)" : "";
        return (line.length() > MAX_FAILURE_CHARS ? line.substring(0, MAX_FAILURE_CHARS) + "…" : line) + more;
    }
}
