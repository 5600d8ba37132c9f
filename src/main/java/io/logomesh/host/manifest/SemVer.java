package io.logomesh.host.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version as defined by <a href="https://semver.org/spec/v2.0.0.html">SemVer 2.0.0</a>:
 * {@code 1.2.3}, {@code 1.2.3-beta.1}, {@code 1.2.3+build.5}.
 *
 * <p>{@link #compareTo} follows SemVer precedence: build metadata is ignored, a pre-release
 * sorts before its release, pre-release identifiers compare numerically when numeric and
 * lexically otherwise. {@link #equals} compares every component including build metadata, so two
 * versions may compare as 0 and still not be equal. Serialized to JSON as its text.
 *
 * @param major      major version
 * @param minor      minor version
 * @param patch      patch version
 * @param prerelease dot-separated pre-release identifiers, empty for a release
 * @param build      dot-separated build metadata identifiers, usually empty
 */
public record SemVer(int major, int minor, int patch, List<String> prerelease, List<String> build)
        implements Comparable<SemVer> {

    private static final String NUMBER = "0|[1-9]\\d*";
    private static final String PRE_ID = "0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*";
    private static final String BUILD_ID = "[0-9a-zA-Z-]+";
    private static final Pattern FORMAT = Pattern.compile(
            "(" + NUMBER + ")\\.(" + NUMBER + ")\\.(" + NUMBER + ")"
                    + "(?:-((?:" + PRE_ID + ")(?:\\.(?:" + PRE_ID + "))*))?"
                    + "(?:\\+(" + BUILD_ID + "(?:\\." + BUILD_ID + ")*))?");

    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new SemVerFormatException("version numbers must not be negative");
        }
        prerelease = List.copyOf(prerelease);
        build = List.copyOf(build);
    }

    /** A release version without pre-release or build parts. */
    public SemVer(int major, int minor, int patch) {
        this(major, minor, patch, List.of(), List.of());
    }

    /**
     * Parses a full version such as {@code 1.2.3-beta.1+build}. Surrounding blanks are ignored;
     * a leading {@code v} or partial versions ({@code 1.2}) are not accepted.
     *
     * @throws SemVerFormatException when the text is not a valid semantic version
     */
    @JsonCreator
    public static SemVer parse(String text) {
        if (text == null) {
            throw new SemVerFormatException("a version is required");
        }
        String trimmed = text.strip();
        Matcher m = FORMAT.matcher(trimmed);
        if (!m.matches()) {
            throw new SemVerFormatException("'" + text + "' is not a valid semantic version (expected MAJOR.MINOR.PATCH, e.g. 1.2.3 or 1.2.3-beta.1)");
        }
        return new SemVer(
                number(m.group(1), text), number(m.group(2), text), number(m.group(3), text),
                split(m.group(4)), split(m.group(5)));
    }

    /** Whether this is a pre-release version (has a {@code -...} part). */
    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** Whether major, minor and patch are equal (pre-release and build ignored). */
    public boolean sameTuple(SemVer other) {
        return major == other.major && minor == other.minor && patch == other.patch;
    }

    @Override
    public int compareTo(SemVer other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, other.patch);
        }
        return c != 0 ? c : comparePrerelease(prerelease, other.prerelease);
    }

    /** The version in its canonical text form, which is the text it was parsed from. */
    @JsonValue
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!prerelease.isEmpty()) {
            sb.append('-').append(String.join(".", prerelease));
        }
        if (!build.isEmpty()) {
            sb.append('+').append(String.join(".", build));
        }
        return sb.toString();
    }

    static int number(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new SemVerFormatException("'" + text + "' has a version number that is too large");
        }
    }

    private static List<String> split(String dotted) {
        return dotted == null ? List.of() : List.of(dotted.split("\\."));
    }

    private static int comparePrerelease(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            // a release has higher precedence than any of its pre-releases
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareIdentifiers(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifiers(String a, String b) {
        boolean aNumeric = isNumeric(a);
        boolean bNumeric = isNumeric(b);
        if (aNumeric && bNumeric) {
            // no leading zeros, so the longer number is the larger one
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isNumeric(String identifier) {
        return identifier.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }
}
