package io.logomesh.host.hostile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The containment table says what a case observed: "no" when a check did not hold, never a literal. */
class ContainmentLogTest {

    @TempDir
    Path dir;

    private List<String> cells(Path file, int row) throws IOException {
        return List.of(Files.readAllLines(file, StandardCharsets.UTF_8).get(row).split("\t", -1));
    }

    @Test
    void shouldWriteNoWhenTheObservedValueIsNotTheExpectedOneAndThenFail() throws IOException {
        Path file = dir.resolve("containment.tsv");
        Observation o = new Observation("node", "10,000 open files");
        String observed = "EACCES"; // what the plugin saw instead of EMFILE
        o.assertThat(observed).as("errno at the nofile limit").isEqualTo("EMFILE");
        o.how("nofile ulimit 256 -> " + observed + " after 300");
        o.noticed();

        ContainmentLog.append(file, o.row());

        assertThat(o.contained()).isFalse();
        assertThat(Files.readAllLines(file).get(0)).isEqualTo(ContainmentLog.HEADER);
        List<String> row = cells(file, 1);
        assertThat(row).hasSize(6);
        assertThat(row.get(0)).isEqualTo("node");
        assertThat(row.get(1)).isEqualTo("10,000 open files");
        assertThat(row.get(2)).isEqualTo("no");
        assertThat(row.get(3)).startsWith("NOT contained: [errno at the nofile limit]").contains("EMFILE")
                .contains("EACCES").contains("observed: nofile ulimit 256 -> EACCES after 300")
                .doesNotContain("\n");
        assertThat(row.get(4)).matches("\\d+");
        assertThatThrownBy(o::assertContained).isInstanceOf(AssertionError.class)
                .hasMessageContaining("errno at the nofile limit");
    }

    @Test
    void shouldWriteYesOnlyWhenEveryCheckHeld() throws IOException {
        Path file = dir.resolve("containment.tsv");
        Observation o = new Observation("python", "fork-bomb");
        o.assertThat(62).as("spawned").isLessThan(64);
        o.how("pids limit 64: refused after 62 with [EAGAIN]");
        o.noticed();
        o.recovered();

        ContainmentLog.append(file, o.row());

        o.assertContained();
        List<String> row = cells(file, 1);
        assertThat(row.get(2)).isEqualTo("yes");
        assertThat(row.get(3)).isEqualTo("pids limit 64: refused after 62 with [EAGAIN]");
        assertThat(row.get(5)).matches("\\d+");
    }

    @Test
    void shouldWriteNoForACaseThatStoppedEarlyWithoutTimesItNeverMeasured() throws IOException {
        Path file = dir.resolve("containment.tsv");
        Observation o = new Observation("node", "ipc: oversized");
        o.aborted(new AssertionError("status of oversized on hx: expected 502 but was 200"));

        ContainmentLog.append(file, o.row());

        List<String> row = cells(file, 1);
        assertThat(row.get(2)).isEqualTo("no");
        assertThat(row.get(3)).contains("expected 502 but was 200");
        assertThat(row.get(4)).as("never noticed").isEmpty();
        assertThat(row.get(5)).as("never recovered").isEmpty();
        assertThatThrownBy(o::assertContained).isInstanceOf(AssertionError.class).hasMessageContaining("not contained");
    }

    /** The SECURITY.md table is rendered by the script from the TSV; it shows the "no" and says so in its exit code. */
    @Test
    void shouldRenderANotContainedRowAsNoInTheSecurityTable() throws Exception {
        assumeTrue(commandExists("python3"), "python3 renders the table");
        Path file = dir.resolve("containment.tsv");
        Observation held = new Observation("node", "a");
        held.how("held");
        ContainmentLog.append(file, held.row());
        Observation broken = new Observation("node", "b");
        broken.assertThat("EACCES").as("errno").isEqualTo("EMFILE");
        ContainmentLog.append(file, broken.row());

        Process p = new ProcessBuilder("python3", "src/bench/containment_table.py", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as("a case not contained: %s", out).isEqualTo(1);
        assertThat(out).contains("| a | node | yes | held |").contains("| b | node | no | NOT contained: [errno]")
                .contains("1 of 2 cases contained.");
    }

    private static boolean commandExists(String command) {
        try {
            return new ProcessBuilder(command, "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
