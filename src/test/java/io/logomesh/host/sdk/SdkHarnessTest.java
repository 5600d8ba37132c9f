package io.logomesh.host.sdk;

import io.logomesh.host.cli.CliProcess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local test harnesses (sdk/nodejs/logomesh-testing.js, sdk/python/logomesh_testing.py) record what a
 * plugin does and answer as the host would: their own suites, run in-process with no host and no Docker.
 */
class SdkHarnessTest {

    @Test
    void shouldPassTheNodeHarnessSuite() {
        CliProcess.Outcome run = CliProcess.run(List.of("node", "--test", "sdk/nodejs/test/"), Map.of(), 120);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("# pass 4").contains("# fail 0");
    }

    @Test
    void shouldPassThePythonHarnessSuite() {
        CliProcess.Outcome run = CliProcess.run(List.of("python3", "-B", "-m", "unittest", "discover", "-v",
                "-s", "sdk/python/tests"), Map.of(), 120);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stderr()).contains("Ran 5 tests").contains("OK");
    }
}
