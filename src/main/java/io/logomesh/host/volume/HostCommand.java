package io.logomesh.host.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the host's own tools ({@code mkfs.ext4}, {@code mount}, ...) with a time limit; never a shell. */
final class HostCommand {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_OUTPUT = 2_000;

    private HostCommand() {
    }

    /** Runs {@code argv}; a non-zero exit, a missing tool or a time-out is an IOException naming the tool and its output. */
    static void run(String... argv) throws IOException {
        run(TIMEOUT, argv);
    }

    static void run(Duration timeout, String... argv) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(argv[0] + " is not available: " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(argv[0] + " did not finish within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(argv[0] + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            String output = new String(process.getInputStream().readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8).strip();
            throw new IOException(argv[0] + " exited " + process.exitValue() + (output.isEmpty() ? "" : ": " + output));
        }
    }
}
