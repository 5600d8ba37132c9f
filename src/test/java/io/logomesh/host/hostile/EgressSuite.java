package io.logomesh.host.hostile;

import com.sun.net.httpserver.HttpServer;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.egress.EgressEndpoint;
import io.logomesh.host.egress.EgressService;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.TestBundle;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;

/**
 * A hostile plugin <em>with</em> network (issue 13): its container has no interface but {@code lo}, and its
 * one way out is the host's egress proxy on {@code egress.sock}, which allows only its allow-list. It tries
 * the control plane through every host address (loopback, the bridge gateway, the host's own address), the
 * metadata service, a name the proxy resolves to it, and unlisted ports, through the proxy (fetch /
 * node:http; urllib / http.client) and directly; it reaches the test's own loopback listener by name and
 * address over CONNECT and plain HTTP (allowed through {@code logomesh.egress.allow-private}, which the
 * test profile turns on); and approvals and revokes change what it reaches without a restart.
 */
abstract class EgressSuite extends HostileSupport {

    private static final String ALLOWED_BODY = "egress-ok";

    @Inject
    EgressService egress;

    @Inject
    DataFolder data;

    private HttpServer allowed;
    private HttpServer decoy;
    private final AtomicInteger decoyHits = new AtomicInteger();
    private ServerSocket control;

    @BeforeEach
    void listeners() throws IOException {
        allowed = serve(ALLOWED_BODY, new AtomicInteger());
        decoy = serve("decoy", decoyHits);
        control = new ServerSocket(0); // stands for any other port the host listens on (all addresses)
        control.setSoTimeout(300);
        // the test's names: "rebound.test" resolves to the metadata address, "localhost" to loopback
        egress.useResolver(name -> switch (name) {
            case "rebound.test" -> List.of(InetAddress.getByName("169.254.169.254"));
            case "localhost" -> List.of(InetAddress.getByName("127.0.0.1"));
            default -> throw new UnknownHostException(name);
        });
    }

    @AfterEach
    void closeListeners() throws IOException {
        allowed.stop(0);
        decoy.stop(0);
        control.close();
        egress.useResolver(null);
    }

    private static HttpServer serve(String body, AtomicInteger hits) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        s.start();
        return s;
    }

    private static int port(HttpServer s) {
        return s.getAddress().getPort();
    }

    private String installNetworked(String... allowedHosts) {
        neighbour();
        TestBundle bundle = TestBundle.hostile("egress-" + runtime()).manifest(m -> {
            var list = m.with("resourceRequirements").putArray("allowedHosts");
            for (String h : allowedHosts) {
                list.add(h);
            }
        });
        uninstallQuietly(bundle.id());
        beforeNetworkedActivation();
        String id = installAndActivate(bundle);
        afterNetworkedActivation(id);
        return id;
    }

    /** Runs before the networked plugin is activated (the prewarmed variants wait for a ready cell). */
    protected void beforeNetworkedActivation() {
    }

    /** Runs once the networked plugin is ACTIVE (the prewarmed variants check that it took a cell). */
    protected void afterNetworkedActivation(String id) {
    }

    private static String target(String url) {
        return "{\"url\":\"" + url + "\"}";
    }

    private static String httpTarget(String url) {
        return "{\"url\":\"" + url + "\",\"client\":\"http\"}";
    }

    private static String directTarget(String host, int port) {
        return "{\"direct\":true,\"host\":\"" + host + "\",\"port\":" + port + "}";
    }

    private static String attacks(Map<String, String> targets) {
        StringBuilder b = new StringBuilder("{");
        targets.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return b.append('}').toString();
    }

    private List<Map<String, Object>> egressRecords(String id, java.time.Instant since) {
        return api().queryParam("pluginId", id).queryParam("type", "egress").queryParam("limit", 1000)
                .queryParam("since", since.toString())
                .get("/api/v1/audit").then().statusCode(200).extract().jsonPath().getList("");
    }

    /**
     * The egress records since {@code since} once {@code okExpected} allowed connections have closed (a
     * client may keep a tunnel alive a few seconds; the record is written when it closes), at most 20 s.
     */
    private List<Map<String, Object>> egressRecordsAfterClose(String id, java.time.Instant since, int okExpected) {
        long end = System.currentTimeMillis() + 20_000;
        while (true) {
            List<Map<String, Object>> records = egressRecords(id, since);
            long ok = records.stream().filter(x -> "ok".equals(x.get("outcome"))).count();
            if (ok >= okExpected || System.currentTimeMillis() > end) {
                return records;
            }
            sleep(200);
        }
    }

    /** The HTTP status the plugin saw, or the error code its client raised. */
    private static String seen(JsonPath r, String key) {
        Map<String, Object> m = r.getMap(key);
        return m == null ? "nothing" : String.valueOf(m.containsKey("status") ? m.get("status") : m.get("code"));
    }

    private boolean controlReached() throws IOException {
        try {
            control.accept().close();
            return true;
        } catch (SocketTimeoutException expected) {
            return false;
        }
    }

    @Test
    void aNetworkedPluginReachesOnlyItsAllowListThroughTheProxy() {
        contain("egress: control plane, metadata, unlisted, rebinding; allowed by name and address", o -> {
            int ok = port(allowed);
            int cp = RestAssured.port; // the control plane's own port
            String gateway = Docker.bridgeGateway();
            String hostAddress = InetAddress.getLocalHost().getHostAddress();
            String id = installNetworked("localhost:" + ok, "127.0.0.1:" + ok, "rebound.test:" + ok,
                    "169.254.169.254:80");
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("controlViaLoopback", target("http://127.0.0.1:" + cp + "/q/health"));
            refused.put("controlViaLocalhost", httpTarget("http://localhost:" + cp + "/q/health"));
            refused.put("controlViaGateway", target("http://" + gateway + ":" + cp + "/q/health"));
            refused.put("controlViaHostAddress", httpTarget("http://" + hostAddress + ":" + cp + "/q/health"));
            refused.put("otherHostPort", target("http://" + gateway + ":" + control.getLocalPort() + "/"));
            refused.put("metadata", target("http://169.254.169.254/latest/meta-data/"));
            refused.put("metadataPlainHttp", httpTarget("http://169.254.169.254/latest/meta-data/"));
            refused.put("reboundName", target("http://rebound.test:" + ok + "/"));
            refused.put("unlistedPort", httpTarget("http://localhost:" + port(decoy) + "/"));
            Map<String, String> direct = new LinkedHashMap<>();
            direct.put("directGateway", directTarget(gateway, cp));
            direct.put("directMetadata", directTarget("169.254.169.254", 80));
            Map<String, String> reached = new LinkedHashMap<>();
            reached.put("byNameTunnel", target("http://localhost:" + ok + "/by-name"));
            reached.put("byNamePlain", httpTarget("http://localhost:" + ok + "/by-name-plain"));
            reached.put("byAddressTunnel", target("http://127.0.0.1:" + ok + "/by-address"));
            reached.put("byAddressPlain", httpTarget("http://127.0.0.1:" + ok + "/by-address-plain"));
            Map<String, String> all = new LinkedHashMap<>(refused);
            all.putAll(direct);
            all.putAll(reached);
            int attemptsBefore = egress.attempts().size();
            java.time.Instant since = java.time.Instant.now();

            o.start();
            JsonPath r = ok(id, "attack", attacks(all));
            o.noticed();

            for (String k : refused.keySet()) {
                o.assertThat(r.getBoolean(k + ".ok")).as("%s: %s", k, r.getMap(k)).isFalse();
                o.assertThat(r.getString(k)).as("%s names the proxy's refusal", k).contains("logomesh egress");
            }
            for (String k : direct.keySet()) {
                o.assertThat(r.getBoolean(k + ".ok")).as("%s: %s", k, r.getMap(k)).isFalse();
            }
            for (String k : reached.keySet()) {
                o.assertThat(r.getString(k + ".body")).as("%s: %s", k, r.getMap(k)).isEqualTo(ALLOWED_BODY);
            }
            List<String> interfaces = r.getList("interfaces", String.class);
            o.assertThat(interfaces).containsExactly("lo");
            o.assertThat(controlReached()).as("a connection reached the host's other listener").isFalse();
            o.assertThat(decoyHits.get()).as("requests that reached the unlisted listener").isZero();
            List<String> attempted = egress.attempts().subList(attemptsBefore, egress.attempts().size()).stream()
                    .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList();
            o.assertThat(attempted).as("the proxy connected only to the allowed listener")
                    .containsOnly("127.0.0.1:" + ok).hasSize(reached.size());
            var neighbourNet = Docker.inspect(get(neighbour()).extract().path("containerId")).getNetworkSettings();
            o.assertThat(neighbourNet.getNetworks().keySet()).as("the neighbour's networks").containsExactly("none");
            var own = Docker.inspect(get(id).extract().path("containerId")).getHostConfig().getNetworkMode();
            o.assertThat(own).as("the networked plugin's own network mode").isEqualTo("none");

            List<Map<String, Object>> records = egressRecordsAfterClose(id, since, reached.size());
            long refusedRecords = records.stream().filter(x -> "refused".equals(x.get("outcome"))).count();
            long okRecords = records.stream().filter(x -> "ok".equals(x.get("outcome"))).count();
            o.assertThat(refusedRecords).as("refused connections audited").isEqualTo(refused.size());
            o.assertThat(okRecords).as("allowed connections audited").isEqualTo(reached.size());
            List<String> reasons = new ArrayList<>();
            records.stream().filter(x -> "refused".equals(x.get("outcome")))
                    .map(x -> String.valueOf(((Map<?, ?>) x.get("details")).get("reason"))).forEach(reasons::add);
            o.assertThat(reasons).anyMatch(s -> s.contains("169.254.169.254 is a link-local address"))
                    .anyMatch(s -> s.contains("not in the plugin's allow-list"));
            o.how("container network none (interfaces " + interfaces + "); " + refused.size() + " of " + refused.size()
                    + " refused by the proxy, audited, " + attempted.size() + " connects made, all to the allowed "
                    + "listener (metadata " + seen(r, "metadata") + ", rebound name " + seen(r, "reboundName")
                    + ", control plane via gateway " + seen(r, "controlViaGateway") + "); direct TCP "
                    + seen(r, "directGateway")
                    + "; " + reached.size() + " allowed requests by name and address (CONNECT and plain) answered; "
                    + "the host's other listener received " + (controlReached() ? "SOMETHING" : "nothing"));
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void approvalsAndRevokesChangeWhatItReachesWithoutARestart() {
        contain("egress: approve, revoke a pattern, revoke network (no restart)", o -> {
            int extra = port(decoy);
            String id = installNetworked();
            String container = get(id).extract().path("containerId");
            String url = target("http://localhost:" + extra + "/");
            o.start();
            JsonPath before = ok(id, "attack", attacks(Map.of("t", url)));
            JsonPath asked = ok(id, "permission", "{\"permission\":\"network\",\"host\":\"localhost:" + extra + "\"}");
            o.assertThat(asked.getString("status")).isEqualTo("pending");
            approve(asked.getString("requestId"));
            JsonPath afterApprove = ok(id, "attack", attacks(Map.of("t", url)));
            JsonPath heldOpen = ok(id, "hold", "{\"target\":\"localhost:" + extra + "\"}");
            deny(asked.getString("requestId"));
            JsonPath afterRevoke = ok(id, "attack", attacks(Map.of("t", url)));
            JsonPath heldAfterRevoke = ok(id, "held", "{}");
            o.noticed();
            o.assertThat(before.getBoolean("t.ok")).as("before approval: %s", before.getMap("t")).isFalse();
            o.assertThat(afterApprove.getString("t.body")).as("after approval: %s", afterApprove.getMap("t"))
                    .isEqualTo("decoy");
            o.assertThat(heldOpen.getBoolean("ok")).as("tunnel held: %s", heldOpen.prettify()).isTrue();
            o.assertThat(afterRevoke.getBoolean("t.ok")).as("after revoke: %s", afterRevoke.getMap("t")).isFalse();
            o.assertThat(afterRevoke.getString("t")).contains("not in the plugin's allow-list");
            o.assertThat(heldAfterRevoke.getBoolean("closed")).as("the open tunnel was cut").isTrue();

            // revoke network itself: a standard plugin that holds it only by an operator's approval
            String std = id + "-std";
            uninstallQuietly(std);
            installAndActivate(TestBundle.hostile("egress-" + runtime()).manifest(m -> {
                m.put("id", std).put("securityLevel", "standard");
                m.with("resourceRequirements").put("networkAccess", false);
            }));
            JsonPath net = ok(std, "permission", "{\"permission\":\"network\"}");
            JsonPath pattern = ok(std, "permission", "{\"permission\":\"network:localhost:" + extra + "\"}");
            approve(net.getString("requestId"));
            approve(pattern.getString("requestId"));
            String stdContainer = get(std).extract().path("containerId");
            // in the IPC folder its container speaks in: its own cold, the cell's when it took a prewarmed one
            var socket = egress.endpoint(std).map(EgressEndpoint::socketPath)
                    .orElse(data.ipcRoot().resolve(std).resolve(EgressEndpoint.SOCKET_NAME));
            boolean socketWhileHeld = Files.exists(socket);
            JsonPath stdHeld = ok(std, "hold", "{\"target\":\"localhost:" + extra + "\"}");
            deny(net.getString("requestId"));
            boolean socketAfterRevoke = Files.exists(socket);
            JsonPath stdCut = ok(std, "held", "{}");
            // the cut travels proxy -> egress.sock -> the shim's forwarder -> the plugin's socket: let it arrive
            for (int i = 0; i < 30 && !stdCut.getBoolean("closed"); i++) {
                Thread.sleep(100);
                stdCut = ok(std, "held", "{}");
            }
            JsonPath stdAfter = ok(std, "attack", attacks(Map.of("t", url)));
            o.assertThat(socketWhileHeld).as("egress.sock while network is held").isTrue();
            o.assertThat(stdHeld.getBoolean("ok")).as("standard plugin's tunnel: %s", stdHeld.prettify()).isTrue();
            o.assertThat(socketAfterRevoke).as("egress.sock after network was revoked").isFalse();
            o.assertThat(stdCut.getBoolean("closed")).as("the standard plugin's tunnel was cut").isTrue();
            o.assertThat(stdAfter.getString("t")).contains("no network permission");
            o.assertThat((String) get(id).extract().path("containerId")).as("same container").isEqualTo(container);
            o.assertThat((String) get(std).extract().path("containerId")).as("same container").isEqualTo(stdContainer);
            o.how("pattern: refused (" + seen(before, "t") + ") -> approved, reached -> revoked, refused ("
                    + seen(afterRevoke, "t") + ") and the open tunnel cut; network revoked: egress.sock removed, "
                    + "tunnel cut, then refused (" + seen(stdAfter, "t") + ": no network permission); same containers");
            assertRecovered(o);
            remove(std);
            remove(id);
        });
    }

    private static void approve(String requestId) {
        api().post("/api/v1/permission-requests/{id}/approve", requestId).then().statusCode(200);
    }

    private static void deny(String requestId) {
        api().post("/api/v1/permission-requests/{id}/deny", requestId).then().statusCode(200);
    }
}
