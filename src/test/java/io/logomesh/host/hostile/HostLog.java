package io.logomesh.host.hostile;

import org.jboss.logmanager.ExtLogRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The host's own log lines of a few categories, captured in the test's JVM (the host runs in it), so that a
 * hostile case can observe what the host did where the API does not say it: why it closed a plugin's
 * connection, that it dropped a stray reply, how many of a flood's log lines it let through. Keeps the last
 * {@value #MAX_LINES} lines.
 */
final class HostLog {

    /** The IPC layer: connection close reasons and dropped frames (debug level). */
    static final String IPC = "io.logomesh.host.ipc";
    /** Where a plugin's own log lines enter the host's log (PluginRequestRouter's category). */
    static final String PLUGIN_LINES = "io.logomesh.plugin";

    private static final int MAX_LINES = 50_000;
    private static final Deque<String> LINES = new ArrayDeque<>();
    private static long seen; // lines captured so far, dropped ones included
    private static final List<Logger> WATCHED = new ArrayList<>(); // strong references keep the levels set
    private static final SimpleFormatter FORMAT = new SimpleFormatter();

    private HostLog() {
    }

    /** Captures {@code category} from {@code level} up, from now on; idempotent. */
    static synchronized void watch(String category, Level level) {
        if (WATCHED.stream().anyMatch(l -> l.getName().equals(category))) {
            return;
        }
        Logger logger = Logger.getLogger(category);
        if (logger.getLevel() == null || logger.getLevel().intValue() > level.intValue()) {
            logger.setLevel(level);
        }
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                add(record.getLoggerName() + " " + text(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        WATCHED.add(logger);
    }

    /** A mark of now: {@link #linesSince} returns only what was logged after it. */
    static synchronized long mark() {
        return seen;
    }

    /** Lines captured after {@code mark} that mention {@code pluginId} and contain {@code fragment}, oldest first. */
    static synchronized List<String> linesSince(long mark, String pluginId, String fragment) {
        long skip = Math.max(0, mark - (seen - LINES.size()));
        return LINES.stream().skip(skip).filter(l -> l.contains(pluginId) && l.contains(fragment)).toList();
    }

    private static synchronized void add(String line) {
        if (LINES.size() >= MAX_LINES) {
            LINES.removeFirst();
        }
        LINES.addLast(line);
        seen++;
    }

    private static String text(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            return ext.getFormattedMessage();
        }
        Object[] params = record.getParameters();
        if (params != null && record.getMessage() != null && record.getMessage().contains("%")) {
            return String.format(record.getMessage(), params); // printf style (JBoss Logging's ...f methods)
        }
        return FORMAT.formatMessage(record);
    }
}
