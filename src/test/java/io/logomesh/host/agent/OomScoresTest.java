package io.logomesh.host.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process tree {@link OomScores} walks and the files it writes, on a fake {@code /proc} (the real kernel: a
 * plugin on a worker reads its score in {@code ClusterModeIT}).
 */
class OomScoresTest {

    @TempDir
    Path proc;

    private void process(long pid, String score, long... children) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(pid + "/task/" + pid));
        StringBuilder list = new StringBuilder();
        for (long child : children) {
            list.append(child).append(' ');
        }
        Files.writeString(dir.resolve("children"), list.toString());
        Files.writeString(proc.resolve(Long.toString(pid)).resolve("oom_score_adj"), score + "\n");
    }

    private String score(long pid) throws IOException {
        return Files.readString(proc.resolve(Long.toString(pid)).resolve("oom_score_adj")).trim();
    }

    @Test
    void shouldGiveTheInitProcessAndEveryDescendantTheScore() throws Exception {
        process(100, "0", 101, 102);
        process(101, "0", 103);
        process(102, "1000");
        process(103, "0");
        // a thread of 101 with a child of its own
        Path thread = Files.createDirectories(proc.resolve("101/task/110"));
        Files.writeString(thread.resolve("children"), "104\n");
        process(104, "0");
        process(200, "0"); // not in the tree

        assertThat(new OomScores(proc).raise(100)).isEqualTo(5);

        for (long pid : new long[] {100, 101, 102, 103, 104}) {
            assertThat(score(pid)).as("pid %d", pid).isEqualTo("1000");
        }
        assertThat(score(200)).isEqualTo("0");
    }

    @Test
    void shouldSkipProcessesThatAreGoneAndAnUnknownPid() throws Exception {
        process(100, "0", 101, 999);
        process(101, "0");

        assertThat(new OomScores(proc).raise(100)).isEqualTo(2);
        assertThat(new OomScores(proc).raise(0)).isZero();
        assertThat(new OomScores(proc).raise(12345)).isZero();
    }

    @Test
    void shouldStopAtACycleOrAChildListedTwice() throws Exception {
        process(100, "0", 101, 101);
        process(101, "0", 100);

        assertThat(new OomScores(proc).tree(100)).containsExactlyInAnyOrder(100L, 101L);
        assertThat(new OomScores(proc).raise(100)).isEqualTo(2);
    }
}
