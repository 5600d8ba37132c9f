package io.logomesh.host.audit;

/**
 * The answer of {@code GET /api/v1/audit/verify}.
 *
 * @param valid       whether every record checked out (and the anchor, when one was given)
 * @param records     how many records were checked (up to and including the first broken one)
 * @param firstBroken the first record that does not check out, or null
 * @param anchor      the check against a signed head, or null when none was given
 */
public record VerifyReport(boolean valid, long records, Broken firstBroken, AnchorCheck anchor) {

    public VerifyReport(boolean valid, long records, Broken firstBroken) {
        this(valid, records, firstBroken, null);
    }

    /**
     * Where the chain breaks.
     *
     * @param seq    the seq the record should have had (or carries, when readable)
     * @param file   the file's name in the audit folder
     * @param line   1-based line in that file
     * @param reason what is wrong, one sentence
     */
    public record Broken(long seq, String file, long line, String reason) {
    }

    /**
     * The trail held against a head the operator kept.
     *
     * @param records the anchor's record count
     * @param result  {@code matched} (the record at that seq has the anchor's hash), {@code rewritten} (it has
     *                another), {@code truncated} (the trail ends before it), {@code pruned} (retention deleted
     *                it; the chain's own check stands), {@code bad_signature} (not signed by this host's key)
     * @param reason  one sentence
     */
    public record AnchorCheck(long records, String result, String reason) {

        /** Whether the anchor does not speak against the trail. */
        public boolean holds() {
            return "matched".equals(result) || "pruned".equals(result);
        }
    }
}
