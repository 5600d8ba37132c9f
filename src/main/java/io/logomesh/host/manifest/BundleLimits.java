package io.logomesh.host.manifest;

/**
 * Caps applied while extracting a plugin bundle; exceeding any of them is a
 * {@link BundleTooLargeException}.
 *
 * @param maxCompressedBytes bytes of the {@code .tar.gz} read at most
 * @param maxExtractedBytes  total size of all extracted files at most
 * @param maxEntries         number of tar entries (files and folders) at most
 */
public record BundleLimits(long maxCompressedBytes, long maxExtractedBytes, int maxEntries) {

    /** Generous defaults: 64 MiB compressed, 256 MiB extracted, 20,000 entries. */
    public static final BundleLimits DEFAULTS = new BundleLimits(64L << 20, 256L << 20, 20_000);

    public BundleLimits {
        if (maxCompressedBytes <= 0 || maxExtractedBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("bundle limits must be positive");
        }
    }
}
