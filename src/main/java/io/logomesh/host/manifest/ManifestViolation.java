package io.logomesh.host.manifest;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in a plugin manifest.
 *
 * <p>{@code path} is a JSON Pointer (RFC 6901) to the offending value, e.g.
 * {@code /resourceRequirements/maxMemoryMB} or {@code /dependencies/0/version}. A problem with
 * the manifest as a whole (not JSON, missing file, wrong type) uses {@code "/"} as its path,
 * never the empty string. A missing required property points at where the property should be
 * ({@code /resourceRequirements/maxMemoryMB}), an unknown property at the property itself.
 *
 * <p>{@code message} is one human sentence (usually a predicate such as {@code must be at most
 * 1024}) that reads naturally after the path; it never contains class names.
 *
 * @param path    JSON Pointer to the offending value, {@code "/"} for the whole manifest
 * @param message what is wrong, for humans
 */
public record ManifestViolation(String path, String message) implements Comparable<ManifestViolation> {

    /** The path used for problems that concern the whole manifest. */
    public static final String ROOT = "/";

    private static final Comparator<ManifestViolation> ORDER =
            Comparator.comparing(ManifestViolation::path, ManifestViolation::comparePaths)
                    .thenComparing(ManifestViolation::message);

    public ManifestViolation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        if (path.isEmpty()) {
            path = ROOT;
        }
    }

    /** A violation concerning the whole manifest. */
    public static ManifestViolation atRoot(String message) {
        return new ManifestViolation(ROOT, message);
    }

    /** Orders by path (array indexes numerically), then by message. */
    @Override
    public int compareTo(ManifestViolation other) {
        return ORDER.compare(this, other);
    }

    private static int comparePaths(String a, String b) {
        String[] as = a.split("/", -1);
        String[] bs = b.split("/", -1);
        for (int i = 0; i < Math.min(as.length, bs.length); i++) {
            int c = compareSegments(as[i], bs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(as.length, bs.length);
    }

    private static int compareSegments(String a, String b) {
        if (isIndex(a) && isIndex(b)) {
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
        return a.compareTo(b);
    }

    private static boolean isIndex(String segment) {
        return !segment.isEmpty() && segment.chars().allMatch(Character::isDigit);
    }
}
