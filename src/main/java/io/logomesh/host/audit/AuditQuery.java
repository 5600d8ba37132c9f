package io.logomesh.host.audit;

import java.time.Instant;

/**
 * A filter over the trail; null fields do not filter.
 *
 * @param pluginId only this plugin's records
 * @param type     only records of this type
 * @param since    only records at or after this instant
 * @param until    only records before this instant
 * @param limit    page size (1..{@link #MAX_LIMIT})
 * @param offset   how many of the newest matching records to skip; the page ends before them
 */
public record AuditQuery(String pluginId, String type, Instant since, Instant until, int limit, int offset) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
    }

    /** Everything, newest page. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, DEFAULT_LIMIT, 0);
    }

    boolean matches(AuditRecord r) {
        if (pluginId != null && !pluginId.equals(r.pluginId())) {
            return false;
        }
        if (type != null && !type.equals(r.type())) {
            return false;
        }
        if (since != null || until != null) {
            Instant at = r.instant();
            if (at == null || (since != null && at.isBefore(since)) || (until != null && !at.isBefore(until))) {
                return false;
            }
        }
        return true;
    }
}
