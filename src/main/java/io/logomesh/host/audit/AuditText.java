package io.logomesh.host.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cutting text for the audit trail (and for anyone who builds a message from what a plugin or a
 * caller sent): a cut string keeps its head and ends with a visible marker
 * {@code …[cut N chars]}, N being how many characters were left out.
 */
public final class AuditText {

    /** Length producers cut ids and targets to before putting them in a message (the trail cuts again). */
    public static final int ID_CHARS = 256;

    private static final Pattern MARKER = Pattern.compile("…\\[cut \\d{1,10} chars]$");

    private AuditText() {
    }

    /**
     * {@code text} if it has at most {@code max} characters (not counting the marker of an earlier cut),
     * else its head and the cut marker; null stays null.
     */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        Matcher earlier = MARKER.matcher(text);
        if (earlier.find() && earlier.start() <= max) {
            return text; // cut already, by a producer: keep its count
        }
        int keep = Math.max(0, max);
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--; // never split a surrogate pair
        }
        return text.substring(0, keep) + "…[cut " + (text.length() - keep) + " chars]";
    }

    /** {@code text} cut to {@link #ID_CHARS}. */
    public static String cutId(String text) {
        return cut(text, ID_CHARS);
    }
}
