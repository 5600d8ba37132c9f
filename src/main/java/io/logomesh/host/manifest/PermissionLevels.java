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
 * {@code resourceRequirements.allowedHosts} and the run-time {@code network:<host-pattern>} follow
 * {@code network}: they count only while the plugin holds it, and never at minimal.
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

    /** Prefix of the run-time form that names one egress destination: {@code network:<host-pattern>}. */
    public static final String NETWORK_PREFIX = "network:";

    /**
     * Whether a plugin may ask for the string at run time: a permission of the vocabulary, or
     * {@code network:<host-pattern>} with a valid {@link HostPattern} (one egress destination).
     */
    public static boolean isRunTimePermission(String permission) {
        return isPermission(permission) || (permission != null && permission.startsWith(NETWORK_PREFIX)
                && HostPattern.problem(permission.substring(NETWORK_PREFIX.length())).isEmpty());
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
        String p = permission.startsWith(NETWORK_PREFIX) ? "network" : permission;
        boolean forbidden = level == SecurityLevel.MINIMAL && ("network".equals(p) || "filesystem".equals(p));
        return forbidden ? Optional.of(describe(level, p)) : Optional.empty();
    }

    private static String describe(SecurityLevel level, String permission) {
        String allowedFrom = "network".equals(permission) ? "elevated" : "standard";
        return "securityLevel " + level.wireName() + " may not declare '" + permission + "' (needs " + allowedFrom
                + (level == SecurityLevel.STANDARD ? ", or an operator's approval at run time)" : ")");
    }
}
