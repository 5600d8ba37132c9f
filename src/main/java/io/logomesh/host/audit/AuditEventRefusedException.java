package io.logomesh.host.audit;

import io.logomesh.host.PluginHostException;

/** A plugin's {@code ctx.auditLog} event was not recorded: {@code too_large}, {@code rate_limited} or {@code invalid_event}. */
public class AuditEventRefusedException extends PluginHostException {

    private final String code;

    public AuditEventRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
