package io.logomesh.host.manifest;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

import java.util.regex.Pattern;

/**
 * Regular expressions of manifest schemas ({@code pattern}, {@code patternProperties}), matched
 * with a budget: the pattern is at most {@link #MAX_PATTERN_LENGTH} characters, and one match may
 * read at most {@link #MAX_STEPS} characters of its input (backtracking reads the same characters
 * again and again), past which {@link RegexBudgetExceededException} stops it. Java's
 * {@link Pattern} dialect, as the validator library uses by default.
 */
public final class BoundedRegex implements RegularExpression {

    /** Longest pattern accepted, in characters. */
    public static final int MAX_PATTERN_LENGTH = 1_000;
    /** Most characters one match may read (about a few milliseconds of work). */
    public static final long MAX_STEPS = 1_000_000;

    /** The factory handed to the validator's configuration. */
    static final RegularExpressionFactory FACTORY = BoundedRegex::compile;

    private final Pattern pattern;

    private BoundedRegex(Pattern pattern) {
        this.pattern = pattern;
    }

    static BoundedRegex compile(String regex) {
        if (regex.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("pattern is longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        return new BoundedRegex(Pattern.compile(regex));
    }

    @Override
    public boolean matches(String value) {
        return pattern.matcher(new Budgeted(value, MAX_STEPS)).find();
    }

    /** A pattern ran past its budget on one value; the value is refused, not the host held. */
    public static final class RegexBudgetExceededException extends RuntimeException {
        RegexBudgetExceededException() {
            super("a pattern needed more than " + MAX_STEPS + " steps to match; the value is refused", null,
                    false, false);
        }
    }

    /** A string whose characters may be read a bounded number of times in total. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private final long[] left;

        Budgeted(String text, long budget) {
            this(text, new long[] {budget});
        }

        private Budgeted(String text, long[] left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new RegexBudgetExceededException();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
