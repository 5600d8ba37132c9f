package io.logomesh.host.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the dashboard's Node.js scripts (src/test/browser) with the Node that setup.sh chose. */
final class NodeTool {

    /** Where src/test/browser/setup.sh leaves its work: node-bin, chromium-unavailable, the test bundle. */
    static final Path WORK = Path.of("target/browser-test");
    static final Path SCRIPTS = Path.of("src/test/browser");

    private NodeTool() {
    }

    /** The exit code and the combined output (also echoed to the test log, prefixed with {@code tag}). */
    record Run(int exitCode, String output) {
    }

    static Run run(String tag, int timeoutMinutes, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(node());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
            lines.lines().forEach(line -> {
                System.out.println("[" + tag + "] " + line);
                output.append(line).append('\n');
            });
        }
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Run(-1, output + "\n(killed after " + timeoutMinutes + " minutes)");
        }
        return new Run(process.exitValue(), output.toString());
    }

    private static String node() {
        Path chosen = WORK.resolve("node-bin");
        try {
            return Files.exists(chosen) ? Files.readString(chosen).strip() : "node";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
