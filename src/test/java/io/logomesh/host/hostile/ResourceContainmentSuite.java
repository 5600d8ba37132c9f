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
        contain(caseName, o -> {
            String id = install(caseName);
            int cap = (int) config.limits().pidsLimit();
            o.start();
            Response r = run(id, "attack", "{}");
            o.noticed();
            if (r.statusCode() == 200) {
                JsonPath result = r.jsonPath().setRootPath("result");
                List<String> errors = result.getList("errors");
                if (result.get("alive") == null) {
                    o.assertThat(errors).as("the bomb must be refused: %s", r.asString()).isNotEmpty();
                    o.assertThat(result.getInt("spawned")).isLessThan(cap);
                    o.how("pids limit " + cap + ": refused after " + result.getInt("spawned") + " with " + errors);
                } else {
                    // Node.js: spawn(2) may still succeed while the child then dies for want of a task
                    // for its own threads; either way no more than the cap ever runs
                    o.assertThat(!errors.isEmpty() || result.getInt("died") > 0)
                            .as("the bomb must be refused or its children die: %s", r.asString()).isTrue();
                    o.assertThat(result.getInt("alive")).isLessThan(cap);
                    o.how("pids limit " + cap + ": " + result.getInt("alive") + " children alive, "
                            + result.getInt("died") + " died, spawn errors " + errors);
                }
            } else {
                JsonPath state = awaitStateOrLast(id, "FAILED", 20);
                o.assertThat(state.getString("state")).as("a runtime that dies of the bomb is FAILED")
                        .isEqualTo("FAILED");
                o.how("runtime died (" + state.getString("state") + " " + state.getString("failureReason")
                        + "), HTTP " + r.statusCode());
            }
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void memoryHogInTheMainProcessFailsWithOom() {
        contain("memory-hog (main process)", o -> {
            String id = install("memory-hog");
            long limit = Docker.cgroupMemoryLimit(get(id).extract().path("containerId")); // the kernel's, in force
            o.start();
            Response r = run(id, "attack", "{}");
            JsonPath state = awaitStateOrLast(id, "FAILED", 20);
            o.noticed();
            o.assertThat(r.statusCode()).as(r.asString()).isEqualTo(502);
            o.assertThat(state.getString("state")).isEqualTo("FAILED");
            o.assertThat(state.getString("failureReason")).isEqualTo("oom");
            o.how("memory cgroup limit " + limit / MIB + " MiB, OOM kill; action HTTP " + r.statusCode()
                    + " -> " + state.getString("state") + " " + state.getString("failureReason"));
            assertRecovered(o);
            remove(id);
        });
    }

    /**
     * The main process survives, so no exit says oom: the engine's OOM event does. The host may end
     * the plugin while the action still runs (502) or just after it answered (the child's SIGKILL).
     */
    @Test
    void memoryHogInAChildProcessFailsWithOom() {
        contain("memory-hog (child process)", o -> {
            String id = install("memory-child");
            o.start();
            Response r = run(id, "attack", "{}");
            String during;
            if (r.statusCode() == 200) {
                String signal = r.jsonPath().getString("result.signal");
                o.assertThat(signal).as("the child is OOM-killed").isIn("SIGKILL", "9");
                during = "the child ended by " + signal;
            } else {
                o.assertThat(r.statusCode()).as("the host ended the plugin during the action: %s", r.asString())
                        .isEqualTo(502);
                during = "action HTTP " + r.statusCode();
            }
            JsonPath state = awaitStateOrLast(id, "FAILED", 20);
            o.noticed();
            o.assertThat(state.getString("state")).isEqualTo("FAILED");
            o.assertThat(state.getString("failureReason")).isEqualTo("oom");
            o.how("memory cgroup OOM kill of the child (" + during + ") -> " + state.getString("state") + " "
                    + state.getString("failureReason"));
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void cpuSpinIsThrottledTimesOutAndTheContainerIsReplaced() {
        contain("cpu spin in an action", o -> {
            String id = install("cpu-spin");
            String before = get(id).extract().path("containerId");
            o.start();
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
            o.noticed();
            Long nanoCpus = Docker.inspect(before).getHostConfig().getNanoCPUs();
            o.assertThat(nanoCpus).as("--cpus 0.5").isEqualTo(500_000_000L);
            o.assertThat(share).as("CPU used by the spinning container, in cores").isLessThanOrEqualTo(0.5 * 1.25);
            o.assertThat(r.statusCode()).as(r.asString()).isEqualTo(504);
            o.assertThat(r.jsonPath().getString("error")).isEqualTo("action_timeout");
            echo(id); // answered by the fresh container
            o.recovered();
            String after = get(id).extract().path("containerId");
            o.assertThat(after).as("the container is replaced").isNotEqualTo(before);
            o.how(String.format("NanoCpus %d: used %.2f cores, %d throttled periods; ", nanoCpus, share, throttled)
                    + "maxExecutionTimeMs -> HTTP " + r.statusCode() + " (" + r.jsonPath().getString("error") + "), "
                    + (after.equals(before) ? "container NOT replaced" : "container replaced"));
            assertHostAndNeighbourHealthy();
            remove(id);
        });
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
        contain("disk fill /tmp, /dev/shm; root fs write", o -> {
            String id = install("disk-fill");
            o.start();
            long tmpfs = config.limits().tmpfsMb() * MIB;
            JsonPath tmp = ok(id, "tmp", "{\"maxMb\": 256}");
            JsonPath shm = ok(id, "shm", "{\"maxMb\": 256}");
            JsonPath root = ok(id, "root", "{}");
            o.noticed();
            o.assertThat(tmp.getString("code")).as("/tmp").isEqualTo("ENOSPC");
            o.assertThat(tmp.getLong("written")).isPositive().isLessThanOrEqualTo(tmpfs);
            o.assertThat(shm.getString("code")).as("/dev/shm").isEqualTo("ENOSPC");
            o.assertThat(shm.getLong("written")).isLessThanOrEqualTo(tmpfs);
            o.assertThat(root.getString("root.code")).as("/").isEqualTo("EROFS");
            o.assertThat(root.getString("code.code")).as("the code mount").isEqualTo("EROFS");
            o.assertThat(root.getString("ipc.code")).as("the IPC mount").isEqualTo("EROFS");
            o.assertThat(root.getString("etc.code")).as("/etc/hosts").isIn("EACCES", "EROFS");
            o.how("tmpfs size " + config.limits().tmpfsMb() + " MiB -> /tmp " + tmp.getString("code") + " after "
                    + tmp.getLong("written") / MIB + " MiB, /dev/shm " + shm.getString("code") + " after "
                    + shm.getLong("written") / MIB + " MiB; root " + root.getString("root.code") + ", code "
                    + root.getString("code.code") + ", IPC " + root.getString("ipc.code") + ", /etc/hosts "
                    + root.getString("etc.code"));
            echo(id);
            assertRecovered(o);
            remove(id);
        });
    }

    /** /data (fileSystemAccess) is a loop-mounted ext4 image of {@code data-mb}: the host's disk gives no more. */
    @Test
    void diskFillOfTheDataFolderStopsAtItsImageSize() {
        contain("disk fill /data (fileSystemAccess)", o -> {
            String id = install("disk-fill");
            o.start();
            long size = config.limits().dataMb() * MIB;
            JsonPath data = ok(id, "data", "{\"maxMb\": " + (config.limits().dataMb() + 64) + "}");
            o.noticed();
            o.assertThat(data.getString("code")).as("a full /data answers ENOSPC").isEqualTo("ENOSPC");
            o.assertThat(data.getLong("written")).isPositive().isLessThan(size);
            Path image = Path.of(config.dataDir()).resolve("plugins").resolve(id).resolve("data.img");
            long onDisk = Files.exists(image) ? Files.size(image) : -1;
            o.assertThat(onDisk).as("the image on the host's disk has the configured size, no more").isEqualTo(size);
            JsonPath again = ok(id, "data", "{\"maxMb\": 1}");
            o.assertThat(again.getString("code")).as("space freed by the plugin is usable again").isNull();
            o.how("ext4 image of " + config.limits().dataMb() + " MiB (" + onDisk / MIB + " MiB on the host's disk), "
                    + "loop-mounted -> " + data.getString("code") + " after " + data.getLong("written") / MIB
                    + " MiB; freed space " + (again.getString("code") == null ? "usable again" : again.getString("code")));
            echo(id);
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void tenThousandOpenFilesHitTheNofileLimit() {
        contain("10,000 open files", o -> {
            String id = install("open-files");
            o.start();
            JsonPath r = ok(id, "attack", "{}");
            o.noticed();
            o.assertThat(r.getString("code")).isEqualTo("EMFILE");
            o.assertThat(r.getInt("opened")).isLessThan((int) config.limits().nofile());
            o.how("nofile ulimit " + config.limits().nofile() + " -> " + r.getString("code") + " after "
                    + r.getInt("opened"));
            echo(id);
            assertRecovered(o);
            remove(id);
        });
    }

    /**
     * The json-file log and its rotated file, in bytes. The engine rotates by renaming the file and then opening a
     * new one: read between the two, the current file is briefly missing, so a missing file is read again.
     */
    private static long logBytesOnDisk(Path logPath) throws java.io.IOException, InterruptedException {
        Path rotated = Path.of(logPath + ".1");
        for (int attempt = 1; ; attempt++) {
            try {
                return Files.size(logPath) + (Files.exists(rotated) ? Files.size(rotated) : 0);
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt == 40) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void outputFloodIsBoundedOnDiskAndInTheLogsAnswer() {
        contain("stdout/stderr flood (30 MiB, with and without newlines)", o -> {
            String id = install("output-flood");
            String containerId = get(id).extract().path("containerId");
            long heapBefore = usedHeap();
            o.start();
            ok(id, "lines", "{\"mb\": 12}");
            ok(id, "nonewline", "{\"mb\": 12}");
            ok(id, "stderr", "{\"mb\": 6}");
            o.noticed();

            long onDisk = logBytesOnDisk(Path.of(Docker.inspect(containerId).getLogPath()));
            long cap = config.limits().logMaxFiles() * parseSize(config.limits().logMaxSize());
            o.assertThat(onDisk).as("json-file keeps at most max-file x max-size").isLessThanOrEqualTo(cap + 64 * 1024);

            Response logs = api().get("/api/v1/plugins/{id}/logs?tail=100000", id);
            o.assertThat(logs.statusCode()).isEqualTo(200);
            o.assertThat(logs.contentType()).startsWith("text/plain");
            String body = logs.asString();
            o.assertThat((long) body.length()).isLessThanOrEqualTo(config.logs().maxBytes() + 512);
            o.assertThat(body).as("the logs answer is cut with a marker").contains(LogTail.MARKER);
            int longest = 0;
            for (String line : body.split("\n")) {
                longest = Math.max(longest, line.length());
            }
            o.assertThat(longest).as("longest line of the logs answer")
                    .isLessThanOrEqualTo(Math.max(config.logs().maxLineBytes(), 200));
            long heapAfter = usedHeap();
            o.how("json-file " + config.limits().logMaxFiles() + " x " + config.limits().logMaxSize() + " ("
                    + onDisk / 1024 + " KiB on disk); logs answer " + body.length() / 1024 + " KiB, longest line "
                    + longest + (body.contains(LogTail.MARKER) ? ", with cut markers" : ", NO cut marker")
                    + "; host heap " + heapBefore / MIB + " -> " + heapAfter / MIB + " MiB");
            echo(id);
            assertRecovered(o);
            remove(id);
        });
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
