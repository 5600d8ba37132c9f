package io.logomesh.host.monitor;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.awaitState;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** Monitoring against real containers: the numbers match what the kernel knows, and limits hold. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class ResourceMonitorTest {

    private static final long MIB = 1024 * 1024;

    @Inject
    AuditCapture audit;

    private static TestBundle node(String id, int memoryMB, double cpuPercent, long execMs) {
        return TestBundle.fixture("echo-node", id).manifest(m -> m.with("resourceRequirements")
                .put("maxMemoryMB", memoryMB).put("maxCpuPercent", cpuPercent).put("maxExecutionTimeMs", execMs));
    }

    private static JsonPath usage(String id) {
        return api().get("/api/v1/plugins/{id}/usage", id).then().statusCode(200).extract().jsonPath();
    }

    /** The first sample taken after {@code afterMs} (epoch ms), waiting for the poller. */
    private static JsonPath sampleAfter(String id, long afterMs) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonPath u = usage(id);
            if (java.time.Instant.parse(u.getString("timestamp")).toEpochMilli() > afterMs) {
                return u;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no new sample of " + id);
    }

    @Test
    void shouldReportTheWorkingSetRisingByWhatThePluginAllocated() throws Exception {
        String id = installAndActivate(node("mon-alloc", 512, 50, 10_000));
        try {
            action(id, "{\"type\":\"echo\",\"payload\":1}").statusCode(200);
            Thread.sleep(1500); // let the runtime settle
            long before = sampleAfter(id, System.currentTimeMillis()).getLong("usage.memoryBytes");
            action(id, "{\"type\":\"alloc\",\"payload\":{\"mb\":64}}").statusCode(200).body("success", is(true));
            JsonPath after = sampleAfter(id, System.currentTimeMillis());
            long delta = after.getLong("usage.memoryBytes") - before;
            assertThat((double) delta).isCloseTo(64.0 * MIB, org.assertj.core.data.Percentage.withPercentage(5));

            assertThat(after.getString("pluginId")).isEqualTo(id);
            assertThat(after.getString("state")).isEqualTo("ACTIVE");
            assertThat(after.getLong("usage.memoryLimitBytes")).isEqualTo(512 * MIB);
            assertThat(after.getLong("limits.maxMemoryMB")).isEqualTo(512);
            assertThat(after.getDouble("utilizationPercent.memory")).isGreaterThan(10.0);
            assertThat(after.getLong("usage.pids")).isPositive();
            assertThat(after.getLong("usage.pidsLimit")).isEqualTo(64);
            assertThat(after.getString("usage.source")).startsWith("cgroup");
            assertThat(after.getLong("usage.uptimeMs")).isPositive();

            // the number matches the kernel's own file, read independently
            String cid = after.getString("containerId");
            Path dir = Path.of("/sys/fs/cgroup/memory/docker", cid);
            if (Files.isDirectory(dir)) {
                long usage = Long.parseLong(Files.readString(dir.resolve("memory.usage_in_bytes")).trim());
                long inactive = Files.readAllLines(dir.resolve("memory.stat")).stream()
                        .filter(l -> l.startsWith("total_inactive_file ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
                        .findFirst().orElseThrow();
                long kernel = usage - inactive;
                long reported = usage(id).getLong("usage.memoryBytes");
                assertThat((double) reported).isCloseTo(kernel, org.assertj.core.data.Percentage.withPercentage(5));
            }

            // the plugin sees its own report, and history keeps samples oldest first
            action(id, "{\"type\":\"usage\"}").statusCode(200).body("success", is(true))
                    .body("result.pluginId", is(id)).body("result.usage.memoryBytes", org.hamcrest.Matchers.greaterThan(64 * 1024 * 1024));
            List<String> times = api().get("/api/v1/plugins/{id}/usage/history?seconds=60", id).then().statusCode(200)
                    .body("pluginId", is(id)).extract().jsonPath().getList("samples.timestamp");
            assertThat(times).hasSizeGreaterThanOrEqualTo(2);
            assertThat(new ArrayList<>(times)).isSortedAccordingTo(String::compareTo);
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldReportACpuSpinnerNearItsLimitAndThrottled() throws Exception {
        String id = installAndActivate(node("mon-spin", 128, 50, 120_000));
        CompletableFuture<Void> spinning = CompletableFuture.runAsync(() -> action(id, "{\"type\":\"spin\"}"));
        try {
            long start = System.currentTimeMillis();
            String cid = sampleAfter(id, start + 1500).getString("containerId");
            Path cpuacct = Path.of("/sys/fs/cgroup/cpuacct/docker", cid, "cpuacct.usage");
            long t1 = System.currentTimeMillis();
            long n1 = System.nanoTime();
            long c1 = Files.isRegularFile(cpuacct) ? Long.parseLong(Files.readString(cpuacct).trim()) : -1;
            List<Double> cpu = new ArrayList<>();
            long last = t1;
            while (cpu.size() < 5) {
                JsonPath u = sampleAfter(id, last);
                last = java.time.Instant.parse(u.getString("timestamp")).toEpochMilli();
                cpu.add(u.getDouble("usage.cpuPercent"));
            }
            long c2 = Files.isRegularFile(cpuacct) ? Long.parseLong(Files.readString(cpuacct).trim()) : -1;
            double truth = (c2 - c1) * 100.0 / (System.nanoTime() - n1);
            double mean = cpu.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            cpu.sort(Double::compare);
            double median = cpu.get(2);
            assertThat(median).as("median CPU of %s", cpu).isLessThanOrEqualTo(65.0); // the quota holds
            if (c1 >= 0) { // what the kernel counted over the same window, read independently
                assertThat(mean).as("reported %s vs. kernel %.1f", cpu, truth).isCloseTo(truth,
                        org.assertj.core.data.Offset.offset(12.0));
            }
            if (busyMachine()) {
                System.out.printf("CPU spinner: reported %s, kernel %.1f%%, machine too busy for the 50%% band%n", cpu, truth);
            } else {
                assertThat(median).as("median CPU of %s", cpu).isBetween(35.0, 65.0);
                assertThat(usage(id).getLong("usage.cpuThrottledPeriods")).isPositive();
            }
            JsonPath u = usage(id);
            Path cpuStat = Path.of("/sys/fs/cgroup/cpu/docker", cid, "cpu.stat");
            if (Files.isRegularFile(cpuStat)) {
                long kernelThrottled = Files.readAllLines(cpuStat).stream().filter(l -> l.startsWith("nr_throttled "))
                        .mapToLong(l -> Long.parseLong(l.split(" ")[1])).findFirst().orElseThrow();
                assertThat(u.getLong("usage.cpuThrottledPeriods")).isLessThanOrEqualTo(kernelThrottled);
            }
            assertThat(u.getDouble("limits.maxCpuPercent")).isEqualTo(50.0);
        } finally {
            uninstallQuietly(id);
            spinning.cancel(true);
        }
    }

    @Test
    void shouldEndAMemoryHogAsFailedOomWithACriticalAlertAndAnAuditRecord() {
        String id = installAndActivate(node("mon-hog", 64, 50, 10_000));
        try {
            action(id, "{\"type\":\"alloc\",\"payload\":{\"mb\":200}}");
            awaitState(id, "FAILED", 20).body("failureReason", is("oom"));
            List<Alert> critical = new ArrayList<>();
            for (int i = 0; i < 50 && critical.isEmpty(); i++) {
                critical = api().get("/api/v1/plugins/{id}/alerts", id).then().statusCode(200).extract().jsonPath()
                        .getList(".", Alert.class).stream()
                        .filter(a -> a.type().equals("oom") && a.severity().equals("critical")).toList();
                sleep(100);
            }
            assertThat(critical).hasSize(1);
            assertThat(audit.of(id, "alert")).anySatisfy(e -> {
                assertThat(e.outcome()).isEqualTo("critical");
                assertThat(e.detail("type").asText()).isEqualTo("oom");
            });
            api().get("/api/v1/alerts?acknowledged=false").then().statusCode(200)
                    .body("id", org.hamcrest.Matchers.hasItem(critical.get(0).id()));
            api().post("/api/v1/plugins/{id}/alerts/{a}/ack", id, critical.get(0).id()).then().statusCode(200)
                    .body("acknowledged", is(true));
            api().get("/api/v1/alerts?acknowledged=false").then().statusCode(200)
                    .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(critical.get(0).id())));
            api().get("/api/v1/plugins/{id}/usage", id).then().statusCode(409).body("error", is("not_running"));
            api().get("/api/v1/plugins").then().statusCode(200); // the host is fine
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldCatchAnOomKillOfAChildProcessAndEndThePlugin() {
        String id = installAndActivate(node("mon-child", 64, 50, 10_000).file("index.js", CHILD_HOG));
        try {
            action(id, "{\"type\":\"childHog\"}");
            awaitState(id, "FAILED", 20).body("failureReason", is("oom"));
            assertThat(audit.of(id, "alert")).anySatisfy(e -> assertThat(e.detail("type").asText()).isEqualTo("oom"));
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldAnswerClearErrorsForUnknownPluginsAlertsAndBadQueries() {
        api().get("/api/v1/plugins/{id}/usage", "mon-nobody").then().statusCode(404).body("error", is("plugin_not_found"));
        String id = TestBundle.fixture("echo-node", "mon-idle").id();
        io.logomesh.host.support.Api.install(TestBundle.fixture("echo-node", id).tarGz()).statusCode(201);
        try {
            api().get("/api/v1/plugins/{id}/usage", id).then().statusCode(409).body("error", is("not_running"))
                    .body("state", is("INSTALLED"));
            api().get("/api/v1/plugins/{id}/usage/stream", id).then().statusCode(409);
            api().get("/api/v1/plugins/{id}/usage/history?seconds=abc", id).then().statusCode(400)
                    .body("error", is("invalid_request"));
            api().get("/api/v1/plugins/{id}/usage/history", id).then().statusCode(200).body("samples.size()", is(0));
            api().post("/api/v1/plugins/{id}/alerts/nope/ack", id).then().statusCode(404).body("error", is("alert_not_found"));
            api().get("/api/v1/alerts?acknowledged=maybe").then().statusCode(400);
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldExportPerPluginMetrics() throws Exception {
        String id = installAndActivate(node("mon-metrics", 128, 50, 10_000));
        try {
            action(id, "{\"type\":\"echo\",\"payload\":1}").statusCode(200);
            sampleAfter(id, System.currentTimeMillis());
            assertThat(firstStreamedSample(id)).contains("event:usage").contains("\"memoryBytes\":")
                    .contains("\"cpuPercent\":");
            String metrics = api().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("logomesh_plugin_memory_bytes{plugin=\"" + id + "\"}")
                    .contains("logomesh_plugin_cpu_ratio{plugin=\"" + id + "\"}")
                    .contains("logomesh_plugin_pids{plugin=\"" + id + "\"}")
                    .contains("logomesh_plugin_actions_total{outcome=\"ok\",plugin=\"" + id + "\"}")
                    .contains("logomesh_plugin_state{plugin=\"" + id + "\",state=\"ACTIVE\"} 1.0")
                    .contains("logomesh_monitor_round_seconds");
        } finally {
            uninstallQuietly(id);
        }
        String after = api().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(after).doesNotContain("plugin=\"" + id + "\"");
    }

    /** Opens the SSE stream and returns its first event (its lines, spaces removed). */
    private static String firstStreamedSample(String id) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + io.restassured.RestAssured.port + "/api/v1/plugins/" + id + "/usage/stream"))
                .header("Authorization", "Bearer " + HostTestResource.TOKEN).build();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> response =
                client.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        StringBuilder event = new StringBuilder();
        try (java.util.stream.Stream<String> lines = response.body()) {
            java.util.Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty() && event.indexOf("data:") >= 0) {
                    break;
                }
                event.append(line.replace(" ", "")).append('\n');
            }
        }
        return event.toString();
    }

    /** A plugin whose action starts a child process that eats memory; the main process lives on. */
    private static final String CHILD_HOG = """
            'use strict';
            const { spawn } = require('node:child_process');
            const hog = "const h=[];for(;;){h.push(Buffer.alloc(1048576,1));}";
            module.exports = {
              activate() {}, deactivate() {},
              execute(action) {
                const child = spawn(process.execPath, ['-e', hog], { stdio: 'ignore' });
                return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
              },
            };
            """;

    /** Whether other work on this machine leaves the spinner less than its quota (load above the core count). */
    private static boolean busyMachine() throws java.io.IOException {
        double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        return load > Runtime.getRuntime().availableProcessors();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
