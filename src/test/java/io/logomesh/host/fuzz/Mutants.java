package io.logomesh.host.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Hostile inputs: random bytes, mutations, and raw tar archives built header by header. */
final class Mutants {

    /** Names a hostile bundle may carry. */
    private static final List<String> NAME_PARTS = List.of("a", "..", ".", "", "manifest.json", "index.js",
            "dir", "\u0000", "\\", "%2e%2e", "\u00e9", "\uD83D\uDE00", "\n", "\u001b[31m", " ", "con", "a:b");

    private Mutants() {
    }

    static byte[] randomBytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    /** Flips, truncates, inserts or overwrites bytes of {@code input}. */
    static byte[] mutate(Random r, byte[] input) {
        byte[] out = input.clone();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds && out.length > 0; i++) {
            switch (r.nextInt(4)) {
                case 0 -> out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> out = Arrays.copyOf(out, r.nextInt(out.length));
                case 2 -> {
                    int at = r.nextInt(out.length);
                    byte[] junk = randomBytes(r, 64);
                    byte[] grown = new byte[out.length + junk.length];
                    System.arraycopy(out, 0, grown, 0, at);
                    System.arraycopy(junk, 0, grown, at, junk.length);
                    System.arraycopy(out, at, grown, at + junk.length, out.length - at);
                    out = grown;
                }
                default -> out[r.nextInt(out.length)] = (byte) r.nextInt(256);
            }
        }
        return out;
    }

    /** A hostile entry name: deep, long, with NULs, control characters, traversal, odd Unicode. */
    static String hostileName(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "a/".repeat(r.nextInt(3000)) + "f";
            case 1 -> "n".repeat(200 + r.nextInt(400));
            case 2 -> ("d".repeat(1 + r.nextInt(255)) + "/").repeat(1 + r.nextInt(20)) + "f.js";
            default -> {
                StringBuilder sb = new StringBuilder();
                int parts = 1 + r.nextInt(6);
                for (int i = 0; i < parts; i++) {
                    sb.append(i == 0 && r.nextInt(8) == 0 ? "/" : "").append(NAME_PARTS.get(r.nextInt(NAME_PARTS.size())));
                    if (i < parts - 1) {
                        sb.append('/');
                    }
                }
                yield sb.toString();
            }
        };
    }

    /** A tar.gz of random entries with raw headers: any type flag, size, mode, PAX or GNU long name. */
    static byte[] hostileTarGz(Random r, byte[] manifest) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        if (manifest != null) {
            entry(tar, "manifest.json", (byte) '0', manifest, 0644, manifest.length);
        }
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            String name = hostileName(r);
            byte type = "0012345675xgLKSDV".getBytes(StandardCharsets.US_ASCII)[r.nextInt(17)];
            byte[] content = randomBytes(r, 256);
            long declared = r.nextInt(10) == 0 ? r.nextLong() & 0777777777L : content.length;
            switch (r.nextInt(3)) {
                case 0 -> { // PAX header carrying the name
                    byte[] pax = paxRecord("path", name);
                    entry(tar, "PaxHeader", (byte) 'x', pax, 0644, pax.length);
                    entry(tar, "short", type, content, r.nextInt(07777), declared);
                }
                case 1 -> { // GNU long name
                    byte[] longName = (name + "\0").getBytes(StandardCharsets.UTF_8);
                    entry(tar, "././@LongLink", (byte) 'L', longName, 0644, longName.length);
                    entry(tar, "short", type, content, r.nextInt(07777), declared);
                }
                default -> entry(tar, name, type, content, r.nextInt(07777), declared);
            }
        }
        tar.writeBytes(new byte[1024]);
        byte[] raw = tar.toByteArray();
        if (r.nextInt(4) == 0) {
            raw = mutate(r, raw);
        }
        return gzip(raw);
    }

    static byte[] paxRecord(String key, String value) {
        String record = " " + key + "=" + value + "\n";
        int length = record.getBytes(StandardCharsets.UTF_8).length;
        int total = length;
        while (String.valueOf(total).length() + length != total) {
            total = String.valueOf(total).length() + length;
        }
        return (total + record).getBytes(StandardCharsets.UTF_8);
    }

    /** One ustar header (name cut to 100 bytes) and its padded content. */
    static void entry(ByteArrayOutputStream tar, String name, byte type, byte[] content, int mode, long size) {
        byte[] header = new byte[512];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, header, 0, Math.min(100, nameBytes.length));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 1000);
        octal(header, 116, 8, 1000);
        octal(header, 124, 12, size);
        octal(header, 136, 12, 1_700_000_000L);
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = type;
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, header, 257, magic.length);
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        tar.writeBytes(header);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String text = Long.toOctalString(value);
        if (text.length() > length - 1) {
            text = text.substring(text.length() - (length - 1));
        }
        String padded = "0".repeat(length - 1 - text.length()) + text;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, header, offset, length - 1);
        header[offset + length - 1] = 0;
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
