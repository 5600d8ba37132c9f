package io.logomesh.host.egress;

import com.sun.net.httpserver.HttpServer;
import io.logomesh.host.manifest.HostPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy end to end on a real Unix socket and a real loopback listener (no container). */
class EgressEndpointTest {

    @TempDir
    Path dir;

    private HttpServer listener;
    private int port;
    private final List<InetSocketAddress> attempted = new CopyOnWriteArrayList<>();
    private final List<EgressRecord> records = new CopyOnWriteArrayList<>();
    private EgressEndpoint endpoint;

    @BeforeEach
    void serve() throws IOException {
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/", exchange -> {
            byte[] body = ("hello " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
        port = listener.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        listener.stop(0);
        if (endpoint != null) {
            endpoint.close("test over");
        }
    }

    private EgressEndpoint open(boolean allowPrivate, int maxConnections, String... patterns) {
        EgressLimits limits = new EgressLimits(maxConnections, 100, 100, 1 << 20, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 1024, Duration.ofSeconds(2));
        EgressConnector recording = (address, timeout) -> {
            attempted.add(address);
            return EgressConnector.tcp().connect(address, timeout);
        };
        EgressResolver names = name -> {
            if (name.equals("localhost") || name.equals("rebound.test")) {
                return List.of(InetAddress.getByName(name.equals("localhost") ? "127.0.0.1" : "169.254.169.254"));
            }
            throw new java.net.UnknownHostException(name);
        };
        endpoint = EgressEndpoint.open("p1", dir.resolve("ipc"), OwnedSocketUid.own(),
                new EgressPolicy(java.util.Arrays.stream(patterns).map(HostPattern::parse).toList(), allowPrivate),
                limits, names, recording, Set::of, records::add);
        return endpoint;
    }

    private SocketChannel connect() throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(endpoint.socketPath()));
        return c;
    }

    private static String exchange(SocketChannel c, String request) throws IOException {
        c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        return readAll(c);
    }

    private static String readAll(SocketChannel c) throws IOException {
        StringBuilder out = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (c.read(b) >= 0) {
            b.flip();
            out.append(StandardCharsets.ISO_8859_1.decode(b));
            b.clear();
        }
        return out.toString();
    }

    @Test
    void shouldCreateTheSocketOnlyThePluginsUidCanReach() throws IOException {
        open(true, 4, "localhost:" + port);

        assertThat(endpoint.socketPath().getFileName().toString()).isEqualTo("egress.sock");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.socketPath())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ipc"))))
                .isEqualTo("rwx------");
    }

    @Test
    void shouldRelayAPlainRequestAndATunnelToAnAllowedListenerByNameAndAddress() throws IOException {
        open(true, 4, "localhost:" + port, "127.0.0.1:" + port);

        try (SocketChannel c = connect()) {
            String answer = exchange(c, "GET http://localhost:" + port + "/plain HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("hello /plain");
        }
        try (SocketChannel c = connect()) {
            String answer = exchange(c, "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\n\r\n"
                    + "GET /tunnel HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200")
                    .endsWith("hello /tunnel");
        }
        until(() -> records.size() == 2);
        assertThat(records).extracting(EgressRecord::outcome).containsOnly(EgressRecord.OK);
        assertThat(records).extracting(EgressRecord::kind).containsExactlyInAnyOrder("http", "connect");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.address()).isEqualTo("127.0.0.1");
            assertThat(r.bytesIn()).isPositive();
        });
    }

    @Test
    void shouldRefuseWithoutAttemptingAConnectionAndSayWhy() throws IOException {
        open(false, 4, "localhost:" + port, "169.254.169.254:80", "rebound.test:80");

        for (String target : List.of("localhost:" + port, "169.254.169.254:80", "rebound.test:80",
                "localhost:" + (port + 1), "127.0.0.1:" + port)) {
            try (SocketChannel c = connect()) {
                assertThat(exchange(c, "CONNECT " + target + " HTTP/1.1\r\n\r\n"))
                        .startsWith("HTTP/1.1 403 Forbidden (logomesh egress: ").contains("X-LogoMesh-Egress: refused");
            }
        }
        until(() -> records.size() == 5);
        assertThat(attempted).as("no connect was attempted").isEmpty();
        assertThat(records).extracting(EgressRecord::reason).containsExactlyInAnyOrder(
                "127.0.0.1 is a loopback address (logomesh.egress.allow-private is off)",
                "169.254.169.254 is a link-local address (169.254.0.0/16, fe80::/10: metadata services) (never reachable)",
                "169.254.169.254 is a link-local address (169.254.0.0/16, fe80::/10: metadata services) (never reachable)",
                "localhost:" + (port + 1) + " is not in the plugin's allow-list",
                "127.0.0.1:" + port + " is not in the plugin's allow-list");
    }

    @Test
    void shouldFollowANewAllowListAtOnceAndCutTunnelsItNoLongerAllows() throws Exception {
        open(true, 4, "localhost:" + port);
        SocketChannel tunnel = connect();
        tunnel.write(ByteBuffer.wrap(("CONNECT localhost:" + port + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer head = ByteBuffer.allocate(39);
        while (head.hasRemaining() && tunnel.read(head) >= 0) {
            // "HTTP/1.1 200 Connection established\r\n\r\n"
        }
        assertThat(new String(head.array(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");

        endpoint.update(new EgressPolicy(List.of(), true));

        assertThat(readAll(tunnel)).as("the open tunnel is cut").isEmpty();
        tunnel.close();
        try (SocketChannel c = connect()) {
            assertThat(exchange(c, "CONNECT localhost:" + port + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 403");
        }
        until(() -> records.size() == 2);
        assertThat(records).filteredOn(r -> r.outcome().equals(EgressRecord.CUT)).singleElement()
                .extracting(EgressRecord::reason).isEqualTo("the allow-list no longer holds localhost:" + port);
        assertThat(records).filteredOn(r -> r.outcome().equals(EgressRecord.REFUSED)).singleElement()
                .extracting(EgressRecord::reason).isEqualTo("localhost:" + port + " is not in the plugin's allow-list");
    }

    @Test
    void shouldUnlinkTheSocketAndCutEveryTunnelWhenClosed() throws Exception {
        open(true, 4, "localhost:" + port);
        SocketChannel tunnel = connect();
        tunnel.write(ByteBuffer.wrap(("CONNECT localhost:" + port + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer head = ByteBuffer.allocate(39);
        while (head.hasRemaining() && tunnel.read(head) >= 0) {
            // wait for the 200
        }

        endpoint.close("'network' revoked");

        assertThat(readAll(tunnel)).isEmpty();
        assertThat(Files.exists(endpoint.socketPath())).isFalse();
        until(() -> records.size() == 1);
        assertThat(records.get(0).reason()).isEqualTo("'network' revoked");
    }

    @Test
    void shouldAnswer429PastTheConnectionCapAnd431PastTheHeaderCap() throws Exception {
        open(true, 1, "localhost:" + port);
        try (SocketChannel idle = connect(); SocketChannel second = connect()) {
            until(() -> endpoint.openConnections() == 1);
            assertThat(readAll(second)).startsWith("HTTP/1.1 429 Too Many Requests");
        }
        until(() -> endpoint.openConnections() == 0);
        try (SocketChannel c = connect()) {
            assertThat(exchange(c, "GET http://localhost:" + port + "/ HTTP/1.1\r\nX: " + "a".repeat(2000) + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 431");
        }
        assertThat(attempted).isEmpty();
    }

    /** Waits (bounded) for something the proxy does on its own threads. */
    private static void until(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The test's own uid (the peer check then lets it in). */
    static final class OwnedSocketUid {
        static int own() {
            return io.logomesh.host.ipc.OwnedSocket.ownUid();
        }
    }
}
