package io.logomesh.host.manifest;

/**
 * Caps applied while extracting a plugin bundle; exceeding any of them is a
 * {@link BundleTooLargeException} (a name that breaks a path rule is a {@link BundleInvalidException}).
 *
 * @param maxCompressedBytes bytes of the {@code .tar.gz} read at most
 * @param maxExtractedBytes  total size of all extracted files at most
 * @param maxEntries         files and folders created at most, folders implied by deep names included
 *                           (also the most tar entries read)
 * @param maxDepth           most path components in one entry name ({@code a/b/c} is 3)
 * @param maxPathBytes       longest entry name, in UTF-8 bytes (each component is at most
 *                           {@link #MAX_NAME_BYTES}, the file system's NAME_MAX)
 */
public record BundleLimits(long maxCompressedBytes, long maxExtractedBytes, int maxEntries, int maxDepth,
                           int maxPathBytes) {

    /** Longest single path component, in UTF-8 bytes (Linux NAME_MAX). */
    public static final int MAX_NAME_BYTES = 255;
    /** Default most components in one entry name. */
    public static final int DEFAULT_MAX_DEPTH = 32;
    /** Default longest entry name in bytes; well under PATH_MAX (4096) once under the data folder. */
    public static final int DEFAULT_MAX_PATH_BYTES = 1024;

    /** Generous defaults: 64 MiB compressed, 256 MiB extracted, 20,000 entries, depth 32, 1 KiB names. */
    public static final BundleLimits DEFAULTS = new BundleLimits(64L << 20, 256L << 20, 20_000);

    public BundleLimits {
        if (maxCompressedBytes <= 0 || maxExtractedBytes <= 0 || maxEntries <= 0 || maxDepth <= 0
                || maxPathBytes <= 0) {
            throw new IllegalArgumentException("bundle limits must be positive");
        }
        if (maxPathBytes > 3072) {
            throw new IllegalArgumentException("bundle limit max-path-bytes must leave room for the data folder"
                    + " under PATH_MAX (at most 3072)");
        }
    }

    /** Size and entry caps with the default depth and path length. */
    public BundleLimits(long maxCompressedBytes, long maxExtractedBytes, int maxEntries) {
        this(maxCompressedBytes, maxExtractedBytes, maxEntries, DEFAULT_MAX_DEPTH, DEFAULT_MAX_PATH_BYTES);
    }

    /**
     * The most decompressed tar bytes read: the file contents plus, per entry, its headers and
     * padding (a generous 8 KiB, which also covers PAX and long-name records of a
     * {@code maxPathBytes} name), so a gzip bomb of headers stops too.
     */
    public long maxTarBytes() {
        return maxExtractedBytes + (long) maxEntries * 8192 + (1L << 20);
    }
}
