package io.logomesh.host.hostile;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import io.logomesh.host.container.LogTail;
import io.logomesh.host.support.Docker;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile plugins that go after the container's resources: processes, threads, memory, CPU,
 * disk, open files and output. Each is contained by a limit of the container contract.
 */
abstract class ResourceContainmentSuite extends HostileSupport {

    private static final long MIB = 1024 * 1024;

    @Test
    void forkBombIsContainedByThePidsLimit() {
        bomb("fork-bomb");
    }

    @Test
    void threadBombIsContainedByThePidsLimit() {
        bomb("thread-bomb");
    }

    /** Either the runtime is refused a new task (EAGAIN) and says so, or it dies and the host says why. */
    private void bomb(String caseName) {
        String id = install(caseName);
        long t0 = System.nanoTime();
        Response r = run(id, "attack", "{}");
        long notice = ContainmentLog.millisSince(t0);
        String how;
        if (r.statusCode() == 200) {
            JsonPath result = r.jsonPath().setRootPath("result");
            List<String> errors = result.getList("errors");
            if (result.get("alive") == null) {
                assertThat(errors).as("the bomb must be refused: %s", r.asString()).isNotEmpty();
                assertThat(result.getInt("spawned")).isLessThan((int) config.limits().pidsLimit());
                how = "pids limit " + config.limits().pidsLimit() + ": refused after " + result.getInt("spawned")
                        + " with " + errors;
            } else {
                // Node.js: spawn(2) may still succeed while the child then dies for want of a task
                // for its own threads; either way no more than the cap ever runs
                assertThat(!errors.isEmpty() || result.getInt("died") > 0)
                        .as("the bomb must be refused or its children die: %s", r.asString()).isTrue();
                assertThat(result.getInt("alive")).isLessThan((int) config.limits().pidsLimit());
                how = "pids limit " + config.limits().pidsLimit() + ": " + result.getInt("alive") + " children alive, "
                        + result.getInt("died") + " died, spawn errors " + errors;
            }
        } else {
            JsonPath state = awaitStateOrLast(id, "FAILED", 20);
            assertThat(state.getString("state")).as("a runtime that dies of the bomb is FAILED").isEqualTo("FAILED");
            how = "runtime died (" + state.getString("failureReason") + "), HTTP " + r.statusCode();
        }
        assertHostAndNeighbourHealthy();
        record(caseName, true, how, notice, ContainmentLog.millisSince(t0));
        remove(id);
    }

    @Test
    void memoryHogInTheMainProcessFailsWithOom() {
        String id = install("memory-hog");
        long t0 = System.nanoTime();
        Response r = run(id, "attack", "{}");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(502);
        JsonPath state = awaitStateOrLast(id, "FAILED", 20);
        long notice = ContainmentLog.millisSince(t0);
        assertThat(state.getString("state")).isEqualTo("FAILED");
        assertThat(state.getString("failureReason")).isEqualTo("oom");
        assertHostAndNeighbourHealthy();
        record("memory-hog (main process)", true, "memory cgroup OOM kill -> FAILED oom", notice,
                ContainmentLog.millisSince(t0));
        remove(id);
    }

    /**
     * The main process survives, so no exit says oom: the engine's OOM event does. The host may end
     * the plugin while the action still runs (502) or just after it answered (the child's SIGKILL).
     */
    @Test
    void memoryHogInAChildProcessFailsWithOom() {
        String id = install("memory-child");
        long t0 = System.nanoTime();
        Response r = run(id, "attack", "{}");
        if (r.statusCode() == 200) {
            assertThat(r.jsonPath().getString("result.signal")).as("the child is OOM-killed").isIn("SIGKILL", "9");
        } else {
            assertThat(r.statusCode()).as("the host ended the plugin during the action: %s", r.asString())
                    .isEqualTo(502);
        }
        JsonPath state = awaitStateOrLast(id, "FAILED", 20);
        long notice = ContainmentLog.millisSince(t0);
        boolean reported = "FAILED".equals(state.getString("state")) && "oom".equals(state.getString("failureReason"));
        assertHostAndNeighbourHealthy();
        record("memory-hog (child process)", true, "memory cgroup OOM kill of the child"
                + (reported ? " -> FAILED oom" : "; host did NOT report oom (state " + state.getString("state") + ")"),
                notice, ContainmentLog.millisSince(t0));
        assertThat(state.getString("state")).isEqualTo("FAILED");
        assertThat(state.getString("failureReason")).isEqualTo("oom");
        remove(id);
    }

    @Test
    void cpuSpinIsThrottledTimesOutAndTheContainerIsReplaced() throws Exception {
        String id = install("cpu-spin");
        String before = get(id).extract().path("containerId");
        long t0 = System.nanoTime();
        CompletableFuture<Response> spin = CompletableFuture.supplyAsync(() -> run(id, "attack", "{}"));
        sleep(500);
        Statistics first = stats(before);
        long n1 = System.nanoTime();
        sleep(1000);
        Statistics second = stats(before);
        double share = (second.getCpuStats().getCpuUsage().getTotalUsage()
                - first.getCpuStats().getCpuUsage().getTotalUsage()) / (double) (System.nanoTime() - n1);
        long throttled = second.getCpuStats().getThrottlingData().getThrottledPeriods();
        Response r = spin.get(30, TimeUnit.SECONDS);
        long notice = ContainmentLog.millisSince(t0);
        assertThat(Docker.inspect(before).getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L); // --cpus 0.5
        assertThat(share).as("CPU used by the spinning container, in cores").isLessThanOrEqualTo(0.5 * 1.25);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(504);
        assertThat(r.jsonPath().getString("error")).isEqualTo("action_timeout");
        echo(id); // answered by the fresh container
        long recovered = ContainmentLog.millisSince(t0);
        get(id).statusCode(200).body("state", org.hamcrest.Matchers.is("ACTIVE"));
        assertThat((String) get(id).extract().path("containerId")).isNotEqualTo(before);
        assertHostAndNeighbourHealthy();
        record("cpu spin in an action", true, String.format("CFS quota 50%%: used %.2f cores, %d throttled periods; ", share, throttled)
                + "maxExecutionTimeMs -> 504, container replaced", notice, recovered);
        remove(id);
    }

    private static Statistics stats(String containerId) throws InterruptedException {
        CompletableFuture<Statistics> first = new CompletableFuture<>();
        try (ResultCallback.Adapter<Statistics> cb = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                first.complete(s);
            }
        }) {
            Docker.client().statsCmd(containerId).withNoStream(true).exec(cb);
            return first.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | java.io.IOException e) {
            throw new IllegalStateException("cannot read the container's stats", e);
        }
    }

    @Test
    void diskFillStopsAtTheTmpfsSizeAndTheRootIsReadOnly() {
        String id = install("disk-fill");
        long t0 = System.nanoTime();
        long tmpfs = config.limits().tmpfsMb() * MIB;
        JsonPath tmp = ok(id, "tmp", "{\"maxMb\": 256}");
        assertThat(tmp.getString("code")).isEqualTo("ENOSPC");
        assertThat(tmp.getLong("written")).isPositive().isLessThanOrEqualTo(tmpfs);
        JsonPath shm = ok(id, "shm", "{\"maxMb\": 256}");
        assertThat(shm.getString("code")).isEqualTo("ENOSPC");
        assertThat(shm.getLong("written")).isLessThanOrEqualTo(tmpfs);
        JsonPath root = ok(id, "root", "{}");
        assertThat(root.getString("root.code")).isEqualTo("EROFS");
        assertThat(root.getString("code.code")).isEqualTo("EROFS");
        assertThat(root.getString("ipc.code")).isEqualTo("EROFS");
        assertThat(root.getString("etc.code")).isIn("EACCES", "EROFS");
        long notice = ContainmentLog.millisSince(t0);
        echo(id);
        assertHostAndNeighbourHealthy();
        record("disk fill /tmp, /dev/shm; root fs write", true, "tmpfs size " + config.limits().tmpfsMb()
                + " MiB -> ENOSPC (/tmp " + tmp.getLong("written") / MIB + " MiB, /dev/shm " + shm.getLong("written") / MIB
                + " MiB); read-only root, code and IPC mounts -> EROFS", notice, ContainmentLog.millisSince(t0));
        remove(id);
    }

    /** /data (fileSystemAccess) is a loop-mounted ext4 image of {@code data-mb}: the host's disk gives no more. */
    @Test
    void diskFillOfTheDataFolderStopsAtItsImageSize() {
        String id = install("disk-fill");
        long t0 = System.nanoTime();
        long size = config.limits().dataMb() * MIB;
        JsonPath data = ok(id, "data", "{\"maxMb\": " + (config.limits().dataMb() + 64) + "}");
        long notice = ContainmentLog.millisSince(t0);
        assertThat(data.getString("code")).as("a full /data answers ENOSPC").isEqualTo("ENOSPC");
        assertThat(data.getLong("written")).isPositive().isLessThan(size);
        Path image = Path.of(config.dataDir()).resolve("plugins").resolve(id).resolve("data.img");
        assertThat(image).as("the image on the host's disk has the configured size, no more").hasSize(size);
        JsonPath again = ok(id, "data", "{\"maxMb\": 1}");
        assertThat(again.getString("code")).as("space freed by the plugin is usable again").isNull();
        echo(id);
        assertHostAndNeighbourHealthy();
        record("disk fill /data (fileSystemAccess)", true, "ext4 image of " + config.limits().dataMb()
                + " MiB, loop-mounted -> ENOSPC after " + data.getLong("written") / MIB + " MiB", notice,
                ContainmentLog.millisSince(t0));
        remove(id);
    }

    @Test
    void tenThousandOpenFilesHitTheNofileLimit() {
        String id = install("open-files");
        long t0 = System.nanoTime();
        JsonPath r = ok(id, "attack", "{}");
        long notice = ContainmentLog.millisSince(t0);
        assertThat(r.getString("code")).isEqualTo("EMFILE");
        assertThat(r.getInt("opened")).isLessThan((int) config.limits().nofile());
        echo(id);
        assertHostAndNeighbourHealthy();
        record("10,000 open files", true, "nofile ulimit " + config.limits().nofile() + " -> EMFILE after "
                + r.getInt("opened"), notice, ContainmentLog.millisSince(t0));
        remove(id);
    }

    @Test
    void outputFloodIsBoundedOnDiskAndInTheLogsAnswer() throws Exception {
        String id = install("output-flood");
        String containerId = get(id).extract().path("containerId");
        long heapBefore = usedHeap();
        long t0 = System.nanoTime();
        ok(id, "lines", "{\"mb\": 12}");
        ok(id, "nonewline", "{\"mb\": 12}");
        ok(id, "stderr", "{\"mb\": 6}");
        long notice = ContainmentLog.millisSince(t0);

        Path logPath = Path.of(Docker.inspect(containerId).getLogPath());
        long onDisk = Files.size(logPath) + (Files.exists(Path.of(logPath + ".1")) ? Files.size(Path.of(logPath + ".1")) : 0);
        long cap = config.limits().logMaxFiles() * parseSize(config.limits().logMaxSize());
        assertThat(onDisk).as("json-file keeps at most max-file x max-size").isLessThanOrEqualTo(cap + 64 * 1024);

        Response logs = api().get("/api/v1/plugins/{id}/logs?tail=100000", id);
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.contentType()).startsWith("text/plain");
        String body = logs.asString();
        assertThat((long) body.length()).isLessThanOrEqualTo(config.logs().maxBytes() + 512);
        assertThat(body).contains(LogTail.MARKER);
        for (String line : body.split("\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(Math.max(config.logs().maxLineBytes(), 200));
        }
        long heapAfter = usedHeap();
        echo(id);
        assertHostAndNeighbourHealthy();
        record("stdout/stderr flood (30 MiB, with and without newlines)", true, "json-file " + config.limits().logMaxFiles()
                + " x " + config.limits().logMaxSize() + " (" + onDisk / 1024 + " KiB on disk); logs answer "
                + body.length() / 1024 + " KiB with cut markers; host heap " + heapBefore / MIB + " -> " + heapAfter / MIB
                + " MiB", notice, ContainmentLog.millisSince(t0));
        remove(id);
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long parseSize(String size) {
        String s = size.trim().toLowerCase();
        long unit = s.endsWith("k") ? 1024 : s.endsWith("m") ? MIB : s.endsWith("g") ? 1024 * MIB : 1;
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }
}
