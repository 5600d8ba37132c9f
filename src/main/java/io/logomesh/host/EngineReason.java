package io.logomesh.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An engine's (or a node agent's) failure text as the host may pass it on to a caller (a grant's refusal, an error
 * message): the engine's own sentence out of a {@code Status 500: {"message": …}} answer, without Java class names, JSON, control
 * characters or line breaks, at most {@link #MAX_CHARS} characters. The raw text goes to the host's log only.
 */
public final class EngineReason {

    public static final int MAX_CHARS = 200;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** docker-java's form of an engine's refusal. */
    private static final Pattern STATUS_JSON = Pattern.compile("Status \\d{3}: (\\{.*)", Pattern.DOTALL);
    private static final Pattern CLASS_NAME =
            Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

    private EngineReason() {
    }

    /** The text as it may reach an API caller or a plugin. */
    public static String of(String text) {
        String reason = text == null ? "" : text;
        Matcher status = STATUS_JSON.matcher(reason);
        if (status.find()) {
            reason = reason.substring(0, status.start()) + engineMessage(status.group(1));
        }
        reason = CLASS_NAME.matcher(reason).replaceAll("");
        int json = reason.indexOf('{');
        if (json >= 0) {
            reason = reason.substring(0, json);
        }
        reason = reason.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ").replaceAll("\\s+", " ").trim();
        if (reason.endsWith(":")) {
            reason = reason.substring(0, reason.length() - 1).trim();
        }
        if (reason.isEmpty()) {
            return "refused";
        }
        return reason.length() <= MAX_CHARS ? reason : reason.substring(0, MAX_CHARS) + "…";
    }

    private static String engineMessage(String body) {
        try {
            JsonNode answer = JSON.readTree(body);
            return answer.path("message").asText("the engine refused");
        } catch (IOException e) {
            return "the engine refused";
        }
    }
}
