package io.logomesh.host.container;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Collects container output into at most {@code maxLines} lines of at most
 * {@code maxLineBytes} bytes each and {@code maxBytes} in all, keeping the newest.
 * Memory stays bounded however much is fed: a line longer than the cap keeps its head
 * and counts the rest; lines pushed out by the total cap are counted. Where output was
 * dropped the text carries a marker line starting with {@value #MARKER}.
 * Not thread-safe; one instance per read.
 */
public final class LogTail {

    /** Start of every marker line. */
    public static final String MARKER = "[logomesh] output cut: ";

    private final int maxLines;
    private final int maxLineBytes;
    private final long maxBytes;
    private final Deque<String> lines = new ArrayDeque<>();
    private final byte[] current;
    private int currentLength;
    private long currentDropped;
    private long kept;
    private long droppedLines;

    public LogTail(int maxLines, int maxLineBytes, long maxBytes) {
        if (maxLines < 1 || maxLineBytes < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("log caps must be positive");
        }
        this.maxLines = maxLines;
        this.maxLineBytes = maxLineBytes;
        this.maxBytes = maxBytes;
        this.current = new byte[maxLineBytes];
    }

    /** Feeds raw output; lines end at '\n'. */
    public void accept(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else if (currentLength < maxLineBytes) {
                current[currentLength++] = b;
            } else {
                currentDropped++;
            }
        }
    }

    /** Feeds one record the engine stored (a line, or a piece of a longer one); ends the line. */
    public void acceptRecord(byte[] bytes) {
        accept(bytes, 0, bytes.length);
        if (currentLength > 0 || currentDropped > 0) {
            endLine();
        }
    }

    private void endLine() {
        String line = new String(current, 0, currentLength, StandardCharsets.UTF_8);
        add(line);
        if (currentDropped > 0) {
            add(MARKER + currentDropped + " more bytes of that line (lines are capped at " + maxLineBytes + " bytes)");
        }
        currentLength = 0;
        currentDropped = 0;
    }

    private void add(String line) {
        lines.addLast(line);
        kept += line.length() + 1L;
        while (lines.size() > maxLines || kept > maxBytes) {
            String gone = lines.removeFirst();
            kept -= gone.length() + 1L;
            droppedLines++;
        }
    }

    /** The collected text, newest last, with a leading marker when older lines were dropped. */
    public String text() {
        if (currentLength > 0 || currentDropped > 0) {
            endLine();
        }
        StringBuilder out = new StringBuilder((int) Math.min(kept + 200, Integer.MAX_VALUE));
        if (droppedLines > 0) {
            // "at least": the engine is asked for one line more than wanted, so older lines may exist unseen
            out.append(MARKER).append("at least ").append(droppedLines).append(" older lines not shown (at most ")
                    .append(maxLines)
                    .append(" lines and ").append(maxBytes).append(" bytes per answer)\n");
        }
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
