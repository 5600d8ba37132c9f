package io.logomesh.host.audit;

/**
 * The head of the chain, signed by the host ({@code GET /api/v1/audit/head}). An operator keeps it
 * outside the data folder and hands it back to {@code GET /api/v1/audit/verify?anchor=…}: a trail
 * whose tail was cut off, or rewritten (and rehashed) from any record up to this head on, no longer
 * matches it.
 *
 * @param records   how many records the chain held (the last record's seq)
 * @param lastHash  the last record's hash ({@link AuditHashing#GENESIS} when empty)
 * @param timestamp when the head was taken (ISO-8601 instant)
 * @param algorithm the signature's algorithm: {@code HmacSHA256}
 * @param signature lower-case hex HMAC-SHA256, with the host's audit key, of the canonical JSON of the
 *                  four fields above
 */
public record AuditHead(long records, String lastHash, String timestamp, String algorithm, String signature) {

    public static final String ALGORITHM = "HmacSHA256";

    /** The bytes the signature covers. */
    byte[] signedBytes() {
        return AuditHashing.canonical(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("records", records).put("lastHash", lastHash).put("timestamp", timestamp)
                .put("algorithm", algorithm));
    }

    AuditHead withSignature(String s) {
        return new AuditHead(records, lastHash, timestamp, algorithm, s);
    }
}
