package io.logomesh.host;

/**
 * Base of every failure the host reports. Unchecked; subclasses are named
 * {@code <Noun><Problem>Exception} and carry a stable, machine-readable {@link #code()}
 * that the REST layer sends to clients (never a class name or a stack trace).
 */
public abstract class PluginHostException extends RuntimeException {

    protected PluginHostException(String message) {
        super(message);
    }

    protected PluginHostException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A refusal that is an answer, not a fault ({@code withStackTrace} false): no stack trace is taken, which
     * under overload is most of what refusing costs.
     */
    protected PluginHostException(String message, boolean withStackTrace) {
        super(message, null, withStackTrace, withStackTrace);
    }

    /** A short snake_case code, e.g. {@code plugin_not_found}. */
    public abstract String code();
}
