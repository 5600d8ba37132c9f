package io.logomesh.host.plugin;

/**
 * Makes a plugin's text safe to put in one line of the host's log: every control character
 * (newlines, carriage returns, ESC and the rest of C0 and C1, DEL) and the Unicode line breaks and
 * direction overrides are written as escapes ({@code \n}, {@code \r}, {@code \t}, {@code \x1b},
 * {@code \\u2028}, …), a backslash as {@code \\}, so a plugin can neither start a forged host log line
 * nor colour or rewrite the terminal; the result is at most {@code maxChars} characters plus the
 * {@value #CUT} marker.
 */
final class PluginLogText {

    /** Cap for a plugin's error text quoted in one of the host's own log lines (a failure reason). */
    static final int REASON_CHARS = 512;

    /** Appended to a line that was cut. */
    static final String CUT = "…(cut)";

    private PluginLogText() {
    }

    /** The text as one escaped line of at most {@code maxChars} characters (then {@value #CUT}). */
    static String sanitise(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + CUT.length());
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= maxChars) {
                out.setLength(maxChars);
                return out.append(CUT).toString();
            }
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else if (isLineBreakOrOverride(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (out.length() > maxChars) {
            out.setLength(maxChars);
            out.append(CUT);
        }
        return out.toString();
    }

    private static boolean isLineBreakOrOverride(char c) {
        return c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c' || c == '\ufeff';
    }
}
