package io.logomesh.host.manifest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds explicit {@code .tar.gz} fixtures entry by entry. */
final class TarGz {

    private record Item(TarArchiveEntry entry, byte[] content) {
    }

    private final List<Item> items = new ArrayList<>();

    TarGz file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    TarGz file(String name, byte[] content, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        entry.setMode(mode);
        items.add(new Item(entry, content));
        return this;
    }

    /** A custom entry (e.g. with extra PAX headers), written as given. */
    TarGz entry(TarArchiveEntry entry, byte[] content) {
        items.add(new Item(entry, content));
        return this;
    }

    /** A raw PAX extended header setting the next entry's {@code path} to {@code name}, followed by that file. */
    TarGz paxNamedFile(String name, String content) {
        String record = " path=" + name + "\n";
        int length = record.length();
        while (String.valueOf(length).length() + record.length() != length) {
            length = String.valueOf(length).length() + record.length();
        }
        byte[] pax = (length + record).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry header = new TarArchiveEntry("PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        header.setSize(pax.length);
        items.add(new Item(header, pax));
        return file("placeholder.js", content);
    }

    TarGz dir(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
        entry.setMode(0700);
        items.add(new Item(entry, new byte[0]));
        return this;
    }

    TarGz symlink(String name, String target) {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    TarGz hardlink(String name, String target) {
        return link(name, target, TarConstants.LF_LINK);
    }

    TarGz special(String name, byte type) {
        items.add(new Item(new TarArchiveEntry(name, type, true), new byte[0]));
        return this;
    }

    private TarGz link(String name, String target, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setLinkName(target);
        items.add(new Item(entry, new byte[0]));
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(buffer))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item item : items) {
                tar.putArchiveEntry(item.entry());
                tar.write(item.content());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    InputStream stream() {
        return new ByteArrayInputStream(bytes());
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(buffer)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
