package io.logomesh.host.audit;

/**
 * The answer of {@code GET /api/v1/audit/verify}.
 *
 * @param valid       whether every record checked out
 * @param records     how many records were checked (up to and including the first broken one)
 * @param firstBroken the first record that does not check out, or null
 */
public record VerifyReport(boolean valid, long records, Broken firstBroken) {

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
}
