package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A plugin's {@code ctx.log} text reaches the host's log as one escaped, capped line. */
class PluginLogTextTest {

    private static final String FORGED = "done\n12:00:00.000 INFO  [PluginManager] operator token rotated\r"
            + "\u001b[2K\u001b[1A\u001b[31mred\u001b[0m\u2028after\u202eevil\u0085next\u007f\\n";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger pluginLog = Logger.getLogger("io.logomesh.plugin");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(new java.util.logging.SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        pluginLog.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        pluginLog.removeHandler(capture);
    }

    @Test
    void shouldEscapeEveryControlCharacterAndLineBreak() {
        String safe = PluginLogText.sanitise(FORGED, 4096);

        assertThat(safe).isEqualTo("done\\n12:00:00.000 INFO  [PluginManager] operator token rotated\\r"
                + "\\x1b[2K\\x1b[1A\\x1b[31mred\\x1b[0m\\u2028after\\u202eevil\\x85next\\x7f\\\\n");
        assertThat(safe.chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x202e);
    }

    @Test
    void shouldCapTheLineAfterEscaping() {
        assertThat(PluginLogText.sanitise("x".repeat(5000), 4096)).hasSize(4096 + PluginLogText.CUT.length())
                .endsWith(PluginLogText.CUT);
        assertThat(PluginLogText.sanitise("\u001b".repeat(1000), 100)).hasSize(100 + PluginLogText.CUT.length());
        assertThat(PluginLogText.sanitise("short", 100)).isEqualTo("short");
    }

    @Test
    void shouldRelayAPluginsLogCallAsOneEscapedLine() {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("level", "warn").put("message", FORGED);

        new PluginRequestRouter(null, new HostCalls(java.util.List.<HostCallHandler>of()), text -> text)
                .onNotification("p1", "log", params);

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("[p1] done\\n12:00:00.000").doesNotContain("\n", "\r", "\u001b", "\u2028");
    }
}
