package io.logomesh.host.fuzz;

import java.time.Duration;
import java.util.Random;

/**
 * A seeded fuzz loop: each case gets its own seed drawn from one master seed, so any failure can be
 * replayed exactly. The master seed is {@code -Dfuzz.seed=…} when given, else fresh per run; it and
 * the failing case's seed are in the failure message. Each loop stops after {@code cases} cases or
 * its time budget, whichever comes first (a bound on the suite's time, not an assertion).
 */
final class Fuzz {

    /** The master seed of this run. */
    static final long SEED = Long.getLong("fuzz.seed", new Random().nextLong());

    private Fuzz() {
    }

    /** One fuzz case: it gets its own random source and fails by throwing. */
    @FunctionalInterface
    interface Case {
        void run(Random random) throws Exception;
    }

    /** Runs up to {@code cases} cases within {@code budget}; returns how many ran. */
    static int run(String target, int cases, Duration budget, Case body) {
        Random master = new Random(SEED ^ target.hashCode());
        long deadline = System.nanoTime() + budget.toNanos();
        int ran = 0;
        for (; ran < cases && System.nanoTime() < deadline; ran++) {
            long caseSeed = master.nextLong();
            try {
                body.run(new Random(caseSeed));
            } catch (Throwable e) {
                throw new AssertionError("fuzz target '" + target + "' failed at case " + ran + " (case seed "
                        + caseSeed + "); replay with -Dfuzz.seed=" + SEED + ": " + e, e);
            }
        }
        return ran;
    }
}
