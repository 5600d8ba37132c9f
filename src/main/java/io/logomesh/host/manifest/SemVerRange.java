package io.logomesh.host.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An npm-style semver range, e.g. a dependency's {@code "version": "^1.2.0"}.
 *
 * <p>Supported syntax (as npm's {@code node-semver} reads it):
 * <ul>
 *   <li>exact {@code 1.2.3} or {@code =1.2.3}; comparators {@code <}, {@code <=}, {@code >},
 *       {@code >=} (a blank after the operator is allowed);</li>
 *   <li>X-ranges {@code 1.2.x}, {@code 1.x}, {@code 1}, {@code *} ({@code X} and {@code *} work
 *       like {@code x});</li>
 *   <li>tilde {@code ~1.2.3} (patch updates: {@code >=1.2.3 <1.3.0});</li>
 *   <li>caret {@code ^1.2.3} (no change of the left-most non-zero part: {@code ^0.2.3} is
 *       {@code >=0.2.3 <0.3.0}, {@code ^0.0.3} is {@code >=0.0.3 <0.0.4});</li>
 *   <li>hyphen ranges {@code 1.2.3 - 2.0.0} (inclusive; a partial upper bound is an X-range);</li>
 *   <li>blanks join comparators with AND, {@code ||} joins alternatives with OR.</li>
 * </ul>
 * A pre-release version only matches if some comparator of the matching alternative carries a
 * pre-release on the same {@code major.minor.patch} (npm's rule): {@code ^1.2.3-beta.1} matches
 * {@code 1.2.3-beta.2} but not {@code 1.3.0-beta.1}.
 *
 * <p>{@link #toString()} returns the text the range was parsed from; JSON uses that text.
 */
public final class SemVerRange {

    private static final String NUM = "0|[1-9]\\d*";
    private static final String PART = "(" + NUM + "|[xX*])";
    private static final String PRE_ID = "0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*";
    private static final Pattern PARTIAL = Pattern.compile(
            "v?" + PART + "(?:\\." + PART + "(?:\\." + PART
                    + "(?:-((?:" + PRE_ID + ")(?:\\.(?:" + PRE_ID + "))*))?"
                    + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?)?)?");
    private static final Pattern COMPARATOR = Pattern.compile("(<=|>=|<|>|=|\\^|~>?)?(.+)");
    private static final Pattern HYPHEN = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");
    private static final Pattern OPERATOR_GAP = Pattern.compile("(<=|>=|<|>|=|\\^|~>?)\\s+");

    private static final SemVer ZERO = new SemVer(0, 0, 0);
    private static final Comparator ANY = new Comparator(Op.GTE, ZERO);
    private static final Comparator NONE = new Comparator(Op.LT, new SemVer(0, 0, 0, List.of("0"), List.of()));

    private final String text;
    private final List<List<Comparator>> alternatives;

    private SemVerRange(String text, List<List<Comparator>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /**
     * Parses a range.
     *
     * @throws SemVerFormatException when the text is blank or not a valid range
     */
    @JsonCreator
    public static SemVerRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SemVerFormatException("a version range must not be empty");
        }
        List<List<Comparator>> alternatives = new ArrayList<>();
        for (String alternative : text.split("\\|\\|", -1)) {
            String trimmed = alternative.strip();
            if (trimmed.isEmpty()) {
                throw invalid(text, "it has an empty alternative around '||'");
            }
            alternatives.add(parseAlternative(text, trimmed));
        }
        return new SemVerRange(text, List.copyOf(alternatives));
    }

    /** Whether {@code version} lies in this range (npm semantics, pre-releases included only as described above). */
    public boolean matches(SemVer version) {
        for (List<Comparator> alternative : alternatives) {
            if (matchesAll(alternative, version)) {
                return true;
            }
        }
        return false;
    }

    /** The text this range was parsed from. */
    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SemVerRange range && range.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static boolean matchesAll(List<Comparator> comparators, SemVer version) {
        for (Comparator comparator : comparators) {
            if (!comparator.test(version)) {
                return false;
            }
        }
        if (!version.isPrerelease()) {
            return true;
        }
        // npm: a pre-release only matches when the range names a pre-release of the same tuple
        for (Comparator comparator : comparators) {
            if (comparator.version().isPrerelease() && comparator.version().sameTuple(version)) {
                return true;
            }
        }
        return false;
    }

    private static List<Comparator> parseAlternative(String text, String alternative) {
        Matcher hyphen = HYPHEN.matcher(alternative);
        if (hyphen.matches()) {
            return hyphenRange(partial(text, hyphen.group(1)), partial(text, hyphen.group(2)));
        }
        List<Comparator> comparators = new ArrayList<>();
        String joined = OPERATOR_GAP.matcher(alternative).replaceAll("$1");
        for (String token : joined.split("\\s+")) {
            Matcher m = COMPARATOR.matcher(token);
            if (!m.matches()) {
                throw invalid(text, "'" + token + "' is not a version or comparator");
            }
            String op = m.group(1) == null ? "" : m.group(1);
            comparators.addAll(desugar(op, partial(text, m.group(2))));
        }
        return List.copyOf(comparators);
    }

    private static List<Comparator> desugar(String op, Partial p) {
        return switch (op) {
            case "", "=" -> xRange(p);
            case "^" -> caret(p);
            case "~", "~>" -> tilde(p);
            default -> comparator(Op.of(op), p);
        };
    }

    private static List<Comparator> xRange(Partial p) {
        if (p.isFull()) {
            return List.of(new Comparator(Op.EQ, p.toVersion()));
        }
        return tilde(p);
    }

    private static List<Comparator> tilde(Partial p) {
        if (p.major == null) {
            return List.of(ANY);
        }
        if (p.minor == null) {
            return between(p.floor(), upper(p.major + 1L, 0, 0));
        }
        return between(p.floor(), upper(p.major, p.minor + 1L, 0));
    }

    private static List<Comparator> caret(Partial p) {
        if (p.major == null) {
            return List.of(ANY);
        }
        if (p.minor == null || p.major > 0) {
            return between(p.floor(), upper(p.major + 1L, 0, 0));
        }
        if (p.patch == null || p.minor > 0) {
            return between(p.floor(), upper(0, p.minor + 1L, 0));
        }
        return between(p.floor(), upper(0, 0, p.patch + 1L));
    }

    private static List<Comparator> comparator(Op op, Partial p) {
        if (p.isFull()) {
            return List.of(new Comparator(op, p.toVersion()));
        }
        if (p.major == null) {
            return List.of(op == Op.GT || op == Op.LT ? NONE : ANY);
        }
        return switch (op) {
            case GT -> List.of(new Comparator(Op.GTE, p.minor == null
                    ? release(p.major + 1L, 0, 0) : release(p.major, p.minor + 1L, 0)));
            case GTE -> List.of(new Comparator(Op.GTE, p.floor()));
            case LT -> List.of(new Comparator(Op.LT, upper(p.major, p.minor == null ? 0 : p.minor, 0)));
            case LTE -> List.of(new Comparator(Op.LT, p.minor == null
                    ? upper(p.major + 1L, 0, 0) : upper(p.major, p.minor + 1L, 0)));
            case EQ -> xRange(p);
        };
    }

    private static List<Comparator> hyphenRange(Partial from, Partial to) {
        List<Comparator> result = new ArrayList<>();
        result.add(from.major == null ? ANY : new Comparator(Op.GTE, from.floor()));
        if (to.isFull()) {
            result.add(new Comparator(Op.LTE, to.toVersion()));
        } else if (to.major != null) {
            result.addAll(comparator(Op.LTE, to));
        }
        return List.copyOf(result);
    }

    private static List<Comparator> between(SemVer lower, SemVer upperExclusive) {
        return List.of(new Comparator(Op.GTE, lower), new Comparator(Op.LT, upperExclusive));
    }

    /** The lowest pre-release of a version: {@code <upper(...)} excludes its pre-releases too. */
    private static SemVer upper(long major, long minor, long patch) {
        SemVer v = release(major, minor, patch);
        return new SemVer(v.major(), v.minor(), v.patch(), List.of("0"), List.of());
    }

    private static SemVer release(long major, long minor, long patch) {
        if (major > Integer.MAX_VALUE || minor > Integer.MAX_VALUE || patch > Integer.MAX_VALUE) {
            throw new SemVerFormatException("a version number in the range is too large");
        }
        return new SemVer((int) major, (int) minor, (int) patch);
    }

    private static Partial partial(String text, String token) {
        Matcher m = PARTIAL.matcher(token);
        if (!m.matches()) {
            throw invalid(text, "'" + token + "' is not a version or version pattern");
        }
        Integer major = component(text, m.group(1));
        Integer minor = major == null ? null : component(text, m.group(2));
        Integer patch = minor == null ? null : component(text, m.group(3));
        List<String> pre = patch == null || m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return new Partial(major, minor, patch, pre);
    }

    private static Integer component(String text, String group) {
        if (group == null || group.equals("x") || group.equals("X") || group.equals("*")) {
            return null;
        }
        return SemVer.number(group, text);
    }

    private static SemVerFormatException invalid(String text, String reason) {
        return new SemVerFormatException("'" + text + "' is not a valid semver range: " + reason);
    }

    /** A version with possibly missing (wildcard) parts. */
    private record Partial(Integer major, Integer minor, Integer patch, List<String> prerelease) {

        boolean isFull() {
            return patch != null;
        }

        SemVer toVersion() {
            return new SemVer(major, minor, patch, prerelease, List.of());
        }

        /** Missing parts as 0. */
        SemVer floor() {
            return new SemVer(major, minor == null ? 0 : minor, patch == null ? 0 : patch, prerelease, List.of());
        }
    }

    private enum Op {
        EQ, LT, LTE, GT, GTE;

        static Op of(String symbol) {
            return switch (symbol) {
                case "<" -> LT;
                case "<=" -> LTE;
                case ">" -> GT;
                case ">=" -> GTE;
                default -> EQ;
            };
        }
    }

    private record Comparator(Op op, SemVer version) {

        boolean test(SemVer candidate) {
            int c = candidate.compareTo(version);
            return switch (op) {
                case EQ -> c == 0;
                case LT -> c < 0;
                case LTE -> c <= 0;
                case GT -> c > 0;
                case GTE -> c >= 0;
            };
        }
    }
}
