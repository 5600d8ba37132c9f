package io.logomesh.host.dashboard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's pure JavaScript logic (the event-stream parser), unit-tested with {@code node --test}. */
class DashboardScriptsTest {

    @Test
    void shouldPassTheDashboardsJavaScriptUnitTests() throws Exception {
        // the files by name: Node 20 takes a folder, Node 22 only files or globs
        NodeTool.Run run = NodeTool.run("node --test", 2, "--test",
                NodeTool.SCRIPTS.resolve("unit/sse.test.mjs").toString());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("# fail 0") && !run.output().contains("# pass 0"), run.output());
    }
}
