package io.logomesh.host.audit;

import java.util.function.Supplier;

/**
 * Who is acting on the current thread, for records whose event does not say (lifecycle
 * changes): the REST layer runs an operator's call inside {@link #as}; anything else — start-up
 * reactivation, a crash, a container replaced on another thread — is the {@code host}. Not
 * inherited by threads started meanwhile.
 */
public final class AuditActor {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private AuditActor() {
    }

    /** The actor of the current thread; {@code host} when nobody said. */
    public static String current() {
        String actor = CURRENT.get();
        return actor == null ? AuditEvent.HOST : actor;
    }

    /** Runs {@code work} with {@code actor} as the current actor. */
    public static <T> T as(String actor, Supplier<T> work) {
        String previous = CURRENT.get();
        CURRENT.set(actor);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
