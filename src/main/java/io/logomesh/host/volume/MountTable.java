package io.logomesh.host.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The mount points of this process' mount namespace, from {@code /proc/self/mountinfo}
 * (field 5, with the kernel's octal escapes for space, tab, newline and backslash undone).
 */
final class MountTable {

    static final Path SELF = Path.of("/proc/self/mountinfo");

    private final List<Path> mountPoints;

    private MountTable(List<Path> mountPoints) {
        this.mountPoints = mountPoints;
    }

    /** The table as the kernel shows it now; empty where there is no {@code /proc}. */
    static MountTable read() {
        try {
            return parse(Files.readString(SELF));
        } catch (IOException e) {
            return new MountTable(List.of());
        }
    }

    static MountTable parse(String mountinfo) {
        List<Path> points = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(Path.of(unescape(fields[4])));
            }
        }
        return new MountTable(points);
    }

    /** Whether {@code dir} (absolute, links resolved) is a mount point. */
    boolean isMountPoint(Path dir) {
        return mountPoints.contains(dir);
    }

    /** Mount points strictly below {@code root} (absolute, links resolved), deepest first. */
    List<Path> below(Path root) {
        return mountPoints.stream()
                .filter(p -> p.startsWith(root) && !p.equals(root))
                .distinct()
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .toList();
    }

    /** Undoes {@code \ooo} escapes (the kernel writes space as {@code \040}). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
