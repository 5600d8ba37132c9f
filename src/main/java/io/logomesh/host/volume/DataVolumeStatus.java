package io.logomesh.host.volume;

/**
 * How plugins' {@code /data} folders are bounded on this host (part of {@code GET /api/v1/system}).
 *
 * @param mode   {@code image}: each is its own loop-mounted ext4 image of {@code sizeMb};
 *               {@code folder}: a plain host folder, bounded only by the host's disk
 * @param sizeMb the size of each plugin's file system, or null for {@code folder}
 * @param reason why plain folders are used (set by configuration, or what the mount probe said), or null
 */
public record DataVolumeStatus(String mode, Integer sizeMb, String reason) {

    static final String IMAGE = "image";
    static final String FOLDER = "folder";

    static DataVolumeStatus image(int sizeMb) {
        return new DataVolumeStatus(IMAGE, sizeMb, null);
    }

    static DataVolumeStatus folder(String reason) {
        return new DataVolumeStatus(FOLDER, null, reason);
    }

    /** Whether each /data is a bounded file system of its own. */
    public boolean bounded() {
        return IMAGE.equals(mode);
    }
}
