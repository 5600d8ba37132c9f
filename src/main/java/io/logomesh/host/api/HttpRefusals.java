package io.logomesh.host.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * Refusals of the HTTP layer itself, answered as {@code {"error", "message"}} JSON like every other
 * error: a first route (before Quarkus' own body-size check and before REST) refuses a URI longer than
 * {@link #MAX_URI_CHARS} (414), a URI that does not parse, e.g. a broken %-escape (400; Quarkus' own
 * empty 400 for it is turned off by {@code LogoMeshMain}), headers larger than {@link #MAX_HEADER_BYTES}
 * (431) and a declared body larger than {@code quarkus.http.limits.max-body-size} (413); its failure
 * handler turns any failure of the Vert.x layer into JSON with no stack trace; a last route answers
 * unknown paths with a JSON 404; the router's own error handlers answer the same way.
 *
 * <p>The server's own codec limits ({@code quarkus.http.limits.max-initial-line-length} and
 * {@code max-header-size}, set well above these in {@code application.properties}) still close a
 * request beyond <em>them</em> with an empty 414/431: Quarkus offers no hook for Vert.x'
 * invalid-request handler (quarkusio/quarkus#55082). SECURITY.md states that limit.
 */
@ApplicationScoped
public class HttpRefusals {

    /** Longest request URI (path and query) answered; longer is 414. */
    public static final int MAX_URI_CHARS = 4096;
    /** Most bytes of request headers (names and values); more is 431. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final Logger LOG = Logger.getLogger(HttpRefusals.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, String> CODES = Map.of(
            400, "bad_request", 404, "not_found", 405, "method_not_allowed", 406, "not_acceptable",
            413, "payload_too_large", 414, "uri_too_long", 415, "unsupported_media_type",
            431, "headers_too_large", 500, "internal_error", 503, "unavailable");

    private final long maxBodyBytes;
    private final AccessRefusals access;

    public HttpRefusals(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
                        MemorySize maxBody, AccessRefusals access) {
        this.maxBodyBytes = maxBody.asLongValue();
        this.access = access;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::guard).failureHandler(this::failure);
        router.route().order(Integer.MAX_VALUE).handler(rc -> send(rc, 404, "no such resource"));
        // failures the router meets before any route matches (e.g. a path whose %-encoding is broken)
        for (int status : CODES.keySet()) {
            router.errorHandler(status, this::failure);
        }
    }

    private void guard(RoutingContext rc) {
        String uri = rc.request().uri();
        if (uri != null && uri.length() > MAX_URI_CHARS) {
            send(rc, 414, "request URI is longer than " + MAX_URI_CHARS + " characters");
            return;
        }
        if (uri != null && !parses(uri)) {
            send(rc, 400, "request URI is malformed (e.g. a broken %-escape)");
            return;
        }
        if (headerBytes(rc.request().headers()) > MAX_HEADER_BYTES) {
            send(rc, 431, "request headers are larger than " + MAX_HEADER_BYTES + " bytes");
            return;
        }
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredTooLarge(length)) {
            // answer at once and close: the body is never read
            rc.response().putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(v -> rc.request().connection().close());
            send(rc, 413, "request body is larger than the limit of " + maxBodyBytes + " bytes");
            return;
        }
        rc.next();
    }

    /** Whether the request URI parses as a URI (Quarkus' own check, turned off by LogoMeshMain). */
    static boolean parses(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // the codec refuses a malformed length itself
        }
    }

    private static long headerBytes(MultiMap headers) {
        long total = 0;
        for (Map.Entry<String, String> h : headers) {
            total += h.getKey().length() + h.getValue().length() + 4;
        }
        return total;
    }

    private void failure(RoutingContext rc) {
        if (access.answered(rc)) { // 401/403 decided by Quarkus security on the HTTP layer
            return;
        }
        int status = rc.statusCode();
        if (rc.failure() instanceof HttpException http) {
            status = http.getStatusCode();
        }
        if (status < 400 || status > 599) {
            status = 500;
        }
        if (status >= 500) {
            LOG.error("the HTTP layer failed to serve a request", rc.failure());
        }
        send(rc, status, status >= 500 ? "the host failed to serve this request; see its log"
                : reason(status));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "the request is malformed (e.g. a broken %-encoding in its path)";
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 413 -> "request body is too large";
            default -> "the request was refused by the HTTP layer (" + status + ")";
        };
    }

    private static void send(RoutingContext rc, int status, String message) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(ErrorBody.of(CODES.getOrDefault(status, "http_" + status), message));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"internal_error\",\"message\":\"error body could not be written\"}";
        }
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
}
