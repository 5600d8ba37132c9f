package io.logomesh.host.permission;

/**
 * Matches event topics against the patterns of {@code events:publish:<pattern>} and
 * {@code events:subscribe:<pattern>} permissions. A {@code *} matches any run of characters,
 * dots included ({@code orders.*} matches {@code orders.created} and {@code orders.eu.created};
 * {@code *} alone matches every topic); everything else matches itself.
 */
public final class TopicPattern {

    private TopicPattern() {
    }

    /** Whether {@code topic} matches {@code pattern}. */
    public static boolean matches(String pattern, String topic) {
        return match(pattern, 0, topic, 0);
    }

    private static boolean match(String p, int pi, String t, int ti) {
        // iterative glob with one back-tracking point per star (linear in practice)
        int star = -1;
        int resume = 0;
        while (ti < t.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                resume = ti;
            } else if (pi < p.length() && p.charAt(pi) == t.charAt(ti)) {
                pi++;
                ti++;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++resume;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
