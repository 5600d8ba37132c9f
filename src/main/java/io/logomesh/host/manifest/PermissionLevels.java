package io.logomesh.host.manifest;

import io.logomesh.host.manifest.PluginManifest.SecurityLevel;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What each {@code securityLevel} may declare in its manifest.
 *
 * <pre>
 * permission                 minimal  standard  elevated
 * messaging:&lt;id&gt;             yes      yes       yes
 * events:publish:&lt;topic&gt;      yes      yes       yes
 * events:subscribe:&lt;topic&gt;    yes      yes       yes
 * resources:grant            yes      yes       yes
 * filesystem (fileSystemAccess)  no   yes       yes
 * network (networkAccess)    no       no*       yes
 * </pre>
 * (*) a standard plugin may still ask for {@code network} at run time; an operator decides. A
 * minimal plugin is refused {@code network} and {@code filesystem} outright, even at run time.
 * Pure logic.
 */
public final class PermissionLevels {

    /** The permission vocabulary (the manifest schema's pattern). */
    public static final Pattern PERMISSION = Pattern.compile(
            "^(network|filesystem|resources:grant|messaging:[a-z0-9-]{3,50}|events:(publish|subscribe):[A-Za-z0-9._*-]{1,128})$");

    private PermissionLevels() {
    }

    /** Whether the string is a permission of the vocabulary. */
    public static boolean isPermission(String permission) {
        return permission != null && PERMISSION.matcher(permission).matches();
    }

    /** Why {@code level} may not declare {@code permission} in its manifest; empty when it may. */
    public static Optional<String> forbiddenToDeclare(SecurityLevel level, String permission) {
        boolean forbidden = switch (permission) {
            case "network" -> level != SecurityLevel.ELEVATED;
            case "filesystem" -> level == SecurityLevel.MINIMAL;
            default -> false;
        };
        return forbidden ? Optional.of(describe(level, permission)) : Optional.empty();
    }

    /** Why {@code level} may never hold {@code permission}, not even by an operator's approval. */
    public static Optional<String> forbiddenAtRunTime(SecurityLevel level, String permission) {
        boolean forbidden = level == SecurityLevel.MINIMAL
                && ("network".equals(permission) || "filesystem".equals(permission));
        return forbidden ? Optional.of(describe(level, permission)) : Optional.empty();
    }

    private static String describe(SecurityLevel level, String permission) {
        String allowedFrom = "network".equals(permission) ? "elevated" : "standard";
        return "securityLevel " + level.wireName() + " may not declare '" + permission + "' (needs " + allowedFrom
                + (level == SecurityLevel.STANDARD ? ", or an operator's approval at run time)" : ")");
    }
}
