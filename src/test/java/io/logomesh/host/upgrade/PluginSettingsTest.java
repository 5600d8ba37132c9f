package io.logomesh.host.upgrade;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Operator config and secrets, on real containers through the real REST API. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class PluginSettingsTest {

    private static final String NODE = "set-node";
    private static final String PYTHON = "set-python";
    private static final String CRASH = "set-crash";

    private static final String NODE_CODE = """
            'use strict';
            const crypto = require('node:crypto');
            const seen = [];
            module.exports = {
              activate(ctx) { ctx.on('config', (event) => { seen.push(event.data); }); },
              deactivate() {},
              execute(action, ctx) {
                if (action.type === 'config') return ctx.config;
                if (action.type === 'seen') return seen;
                if (action.type === 'names') return Object.keys(ctx.secrets).sort();
                if (action.type === 'leak') throw new Error('bad token ' + ctx.secrets.token);
                if (action.type === 'log') { ctx.log.warn('logging in with ' + ctx.secrets.token); return 'logged'; }
                if (action.type === 'print') { console.log('printing ' + ctx.secrets.token); return 'printed'; }
                if (action.type === 'hmac') {
                  return crypto.createHmac('sha256', ctx.secrets.token).update(String(action.payload)).digest('hex');
                }
                return null;
              },
            };
            """;
    private static final String PYTHON_CODE = """
            seen = []

            def activate(ctx):
                ctx.on("config", lambda event: seen.append(event["data"]))

            def deactivate(ctx):
                pass

            def execute(action, ctx):
                if action["type"] == "config":
                    return ctx.config
                if action["type"] == "seen":
                    return seen
                if action["type"] == "names":
                    return sorted(ctx.secrets.keys())
                return None
            """;
    private static final String CRASH_CODE = """
            module.exports = {
              activate(ctx) { throw new Error('cannot log in with ' + ctx.secrets.token); },
              deactivate() {}, execute() { return null; },
            };
            """;
    private static final String SCHEMA = """
            {"type": "object", "additionalProperties": false, "required": ["greeting"],
             "properties": {"greeting": {"type": "string"}, "level": {"type": "integer", "minimum": 1}}}
            """;

    static TestBundle node(String id) {
        return TestBundle.fixture("echo-node", id).file("index.js", NODE_CODE).manifest(m -> {
            m.putObject("config").put("greeting", "hi").put("level", 1);
            try {
                m.set("configSchema", new com.fasterxml.jackson.databind.ObjectMapper().readTree(SCHEMA));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void cleanUp() {
        uninstallQuietly(NODE);
        uninstallQuietly(PYTHON);
        uninstallQuietly(CRASH);
    }

    private static Response putConfig(String id, String json) {
        return api().contentType(ContentType.JSON).body(json).put("/api/v1/plugins/{id}/config", id);
    }

    private static Response putSecret(String id, String name, String value) {
        return api().contentType(ContentType.JSON).body(Map.of("value", value))
                .put("/api/v1/plugins/{id}/secrets/{name}", id, name);
    }

    @Test
    void shouldReportEveryConfigViolationLikeManifestViolations() {
        install(node(NODE).tarGz()).statusCode(201);
        putConfig(NODE, "{\"level\": 0, \"greeting\": 5, \"extra\": true}").then().statusCode(400)
                .body("error", is("config_invalid"))
                .body("errors.path", hasItems("/config/level", "/config/greeting"))
                .body("errors.size()", is(3));
        putConfig(NODE, "[1, 2]").then().statusCode(400).body("error", is("config_invalid"));
        putConfig(NODE, "{\"greeting\": null}").then().statusCode(400)
                .body("errors.message", hasItem(containsString("greeting")));
        api().get("/api/v1/plugins/{id}/config", NODE).then().statusCode(200)
                .body("operator", is(Map.of())).body("effective.greeting", is("hi"));
        // a bundle whose configSchema is no schema is refused at install
        install(node("set-bad-schema").manifest(m -> m.with("configSchema").put("type", 12)).tarGz())
                .statusCode(400).body("errors.path", hasItem("/configSchema"));
    }

    @Test
    void shouldDeliverConfigAtActivationAndLiveToNodeAndPython() {
        install(node(NODE).tarGz()).statusCode(201);
        putConfig(NODE, "{\"level\": 3}").then().statusCode(200)
                .body("effective.greeting", is("hi")).body("effective.level", is(3))
                .body("delivered", is("next_activation"));
        activate(NODE).statusCode(200);
        action(NODE, "{\"type\":\"config\"}").statusCode(200)
                .body("result.level", is(3)).body("result.greeting", is("hi"));

        putConfig(NODE, "{\"level\": 4, \"greeting\": \"hello\"}").then().statusCode(200).body("delivered", is("live"));
        awaitResult(NODE, "seen", "[{\"greeting\":\"hello\",\"level\":4}]");
        action(NODE, "{\"type\":\"config\"}").statusCode(200).body("result.level", is(4));
        api().get("/api/v1/audit?pluginId={id}&type=config", NODE).then().statusCode(200)
                .body("details.delivered", hasItem("live"));

        install(TestBundle.fixture("echo-python", PYTHON).file("main.py", PYTHON_CODE)
                .manifest(m -> m.putObject("config").put("mode", "a")).tarGz()).statusCode(201);
        activate(PYTHON).statusCode(200);
        putConfig(PYTHON, "{\"mode\": \"b\"}").then().statusCode(200).body("delivered", is("live"));
        awaitResult(PYTHON, "seen", "[{\"mode\":\"b\"}]");
        action(PYTHON, "{\"type\":\"config\"}").statusCode(200).body("result.mode", is("b"));

        // kept across a restart of the plugin
        deactivate(PYTHON).statusCode(200);
        activate(PYTHON).statusCode(200);
        action(PYTHON, "{\"type\":\"config\"}").statusCode(200).body("result.mode", is("b"));
    }

    @Test
    void shouldBoundSecretsAndListOnlyTheirNames() {
        install(node(NODE).tarGz()).statusCode(201);
        putSecret(NODE, "1bad", "x").then().statusCode(400).body("error", is("secret_invalid"));
        putSecret(NODE, "big", "x".repeat(8 * 1024 + 1)).then().statusCode(400).body("error", is("secret_invalid"));
        putSecret(NODE, "empty", "").then().statusCode(400).body("error", is("secret_invalid"));
        for (int i = 0; i < 32; i++) {
            putSecret(NODE, "s" + i, "value-" + i).then().statusCode(200).body("name", is("s" + i))
                    .body("value", is((Object) null));
        }
        putSecret(NODE, "one-more", "v").then().statusCode(400).body("error", is("secret_limit"));
        putSecret(NODE, "s0", "replaced is fine").then().statusCode(200);
        api().delete("/api/v1/plugins/{id}/secrets/{name}", NODE, "s1").then().statusCode(204);
        api().delete("/api/v1/plugins/{id}/secrets/{name}", NODE, "s1").then().statusCode(404)
                .body("error", is("secret_not_found"));
        api().get("/api/v1/plugins/{id}/secrets", NODE).then().statusCode(200)
                .body("size()", is(31)).body("name", hasItem("s0")).body("name", not(hasItem("s1")))
                .body(not(containsString("value-")));
    }

    @Test
    void shouldNeverShowASecretsValueAnywhereButInsideThePlugin() throws Exception {
        String value = "lm-secret-" + UUID.randomUUID();
        List<String> hostLog = new ArrayList<>();
        Logger root = Logger.getLogger("io.logomesh");
        Level level = root.getLevel();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (hostLog) {
                    hostLog.add(record.getLoggerName() + " " + record.getMessage() + " "
                            + java.util.Arrays.toString(record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        root.setLevel(Level.FINEST);
        root.addHandler(capture);
        List<String> answers = new ArrayList<>();
        try {
            install(node(NODE).tarGz()).statusCode(201);
            answers.add(putSecret(NODE, "token", value).then().statusCode(200).extract().asString());
            answers.add(activate(NODE).statusCode(200).extract().asString());
            String hmac = action(NODE, "{\"type\":\"hmac\",\"payload\":\"abc\"}").statusCode(200)
                    .extract().path("result");
            assertThat(hmac).isEqualTo(hmac(value, "abc")); // the plugin really had it
            answers.add(action(NODE, "{\"type\":\"leak\"}").statusCode(200).body("success", is(false))
                    .body("error", containsString("bad token [secret:token]")).extract().asString());
            answers.add(action(NODE, "{\"type\":\"names\"}").statusCode(200).body("result", hasItem("token"))
                    .extract().asString());
            // what the plugin logs (ctx.log) or prints (stdout) itself: its logs show the secret's name, not its value
            action(NODE, "{\"type\":\"log\"}").statusCode(200).body("result", is("logged"));
            action(NODE, "{\"type\":\"print\"}").statusCode(200).body("result", is("printed"));
            String logs = "";
            for (int i = 0; i < 50 && !(logs.contains("printing [secret:token]")); i++) {
                Thread.sleep(100); // the engine's log of the container's stdout follows a moment later
                logs = api().get("/api/v1/plugins/{id}/logs", NODE).then().statusCode(200).extract().asString();
            }
            assertThat(logs).contains("logging in with [secret:token]", "printing [secret:token]")
                    .doesNotContain(value);

            install(TestBundle.fixture("echo-node", CRASH).file("index.js", CRASH_CODE).tarGz()).statusCode(201);
            putSecret(CRASH, "token", value).then().statusCode(200);
            Response crashed = api().post("/api/v1/plugins/{id}/activate", CRASH);
            answers.add(crashed.asString());
            assertThat(crashed.statusCode()).isEqualTo(502);
            get(CRASH).body("failureReason", containsString("[secret:token]"));

            String containerId = get(NODE).extract().path("containerId");
            Process inspect = new ProcessBuilder("docker", "inspect", containerId).redirectErrorStream(true).start();
            String inspected = new String(inspect.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(inspect.waitFor()).as(inspected).isZero();
            answers.add(inspected);

            for (String path : List.of("/api/v1/plugins", "/api/v1/plugins/" + NODE, "/api/v1/plugins/" + CRASH,
                    "/api/v1/plugins/" + NODE + "/config", "/api/v1/plugins/" + NODE + "/secrets",
                    "/api/v1/plugins/" + NODE + "/logs", "/api/v1/plugins/" + CRASH + "/logs",
                    "/api/v1/plugins/" + NODE + "/usage", "/api/v1/plugins/" + NODE + "/alerts",
                    "/api/v1/audit?limit=1000", "/api/v1/audit/head", "/api/v1/system", "/api/v1/permission-requests",
                    "/api/v1/alerts", "/q/metrics", "/q/openapi")) {
                answers.add(api().get(path).asString());
            }
            answers.add(api().contentType("application/gzip").body(node(NODE).manifest(m -> m.put("version", "1.0.1"))
                    .tarGz()).put("/api/v1/plugins/{id}", NODE).then().statusCode(200).extract().asString());
            assertThat(action(NODE, "{\"type\":\"hmac\",\"payload\":\"abc\"}").statusCode(200)
                    .extract().<String>path("result")).as("the secret survives an upgrade").isEqualTo(hmac(value, "abc"));
        } finally {
            root.removeHandler(capture);
            root.setLevel(level);
        }

        assertThat(answers).hasSizeGreaterThan(20).noneMatch(a -> a.contains(value));
        synchronized (hostLog) {
            assertThat(hostLog).isNotEmpty().noneMatch(l -> l.contains(value));
        }
        Path data = Path.of(ConfigProvider.getConfig().getValue("logomesh.data-dir", String.class));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(f -> f.toString().endsWith("audit.log")).anyMatch(f -> f.endsWith("secrets.json"));
        for (Path f : files) {
            assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                    .doesNotContain(value);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secrets.key"))))
                .isEqualTo("rw-------");
    }

    private static String hmac(String key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Polls an action until its result, as compact JSON, is {@code expected} (a notification is asynchronous). */
    private static void awaitResult(String id, String type, String expected) {
        long deadline = System.currentTimeMillis() + 10_000;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            Response r = api().contentType(ContentType.JSON).body("{\"type\":\"" + type + "\"}")
                    .post("/api/v1/plugins/{id}/actions", id);
            last = r.statusCode() == 200 ? r.jsonPath().prettify() : r.asString();
            if (r.statusCode() == 200 && compact(r).equals(expected)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("action " + type + " of " + id + " never answered " + expected + "; last: " + last);
    }

    private static String compact(Response r) {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            return mapper.writeValueAsString(mapper.readTree(r.asString()).get("result"));
        } catch (IOException e) {
            return "";
        }
    }
}
