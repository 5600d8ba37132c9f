package io.logomesh.host.api;

import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The guard of the API's documentation: every JAX-RS resource method found by reflection under
 * {@code io.logomesh.host.api} must carry {@code @Operation(summary)} and {@code @APIResponse}s, and appear in
 * {@code /q/openapi} with a success and an error response and described parameters, under the bearer scheme. An endpoint added without {@code @Operation}/{@code @APIResponse} fails here.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class OpenApiDocumentTest {

    private static final String PACKAGE = "io.logomesh.host.api";

    private JsonPath doc;

    @BeforeEach
    void fetch() {
        doc = RestAssured.given().accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void shouldSayWhichRoleEachOperationNeeds() {
        assertThat(doc.getList("paths.'/api/v1/tokens'.get.security[0].bearer")).containsExactly("admin");
        assertThat(doc.getString("paths.'/api/v1/tokens'.get.description")).endsWith("Role: admin. Higher roles "
                + "include lower ones (admin > operator > viewer).");
        assertThat(doc.getList("paths.'/api/v1/plugins'.get.security[0].bearer")).containsExactly("viewer");
        assertThat(doc.getList("paths.'/api/v1/plugins'.post.security[0].bearer")).containsExactly("operator");
        assertThat(doc.getList("paths.'/api/v1/plugins/{id}/actions'.post.security[0].bearer"))
                .containsExactly("operator", "caller");
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((verb, op) -> {
            if (op instanceof Map<?, ?> operation && operation.containsKey("responses")) {
                assertThat(String.valueOf(operation.get("description"))).as(verb + " " + path).contains("Role: ");
            }
        }));
    }

    @Test
    void shouldDeclareTheBearerSchemeAndRequireItEverywhere() {
        assertThat(doc.getString("components.securitySchemes.bearer.type")).isEqualTo("http");
        assertThat(doc.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
        assertThat(doc.getList("security.bearer")).as("global security requirement").hasSize(1);
        assertThat(doc.getString("info.title")).isEqualTo("LogoMesh Plugin Host API");
        assertThat(doc.getString("info.version")).isEqualTo(LogoMeshApi.API_VERSION);
        assertThat(doc.getString("info.description")).contains("Bearer");
    }

    @Test
    void shouldDocumentEveryResourceMethodUnderTheApiPackage() {
        List<Endpoint> endpoints = resourceMethods();
        assertThat(endpoints).as("resource methods found by reflection").hasSizeGreaterThanOrEqualTo(8);
        List<String> undocumented = new ArrayList<>();
        for (Endpoint e : endpoints) {
            Map<String, Object> op = doc.getMap("paths.'" + e.path() + "'." + e.method());
            if (op == null) {
                undocumented.add(e + ": missing from /q/openapi");
                continue;
            }
            org.eclipse.microprofile.openapi.annotations.Operation annotated =
                    e.javaMethod().getAnnotation(org.eclipse.microprofile.openapi.annotations.Operation.class);
            if (annotated == null || annotated.summary().isBlank()) {
                undocumented.add(e + ": no @Operation(summary = ...) on the method");
            }
            if (e.javaMethod().getAnnotationsByType(APIResponse.class).length == 0) {
                undocumented.add(e + ": no @APIResponse on the method");
            }
            Object summary = op.get("summary");
            if (summary == null || summary.toString().isBlank()) {
                undocumented.add(e + ": no @Operation summary");
            }
            Map<?, ?> responses = (Map<?, ?>) op.getOrDefault("responses", Map.of());
            if (responses.keySet().stream().noneMatch(code -> code.toString().startsWith("2"))) {
                undocumented.add(e + ": no documented 2xx @APIResponse");
            }
            if (responses.keySet().stream().noneMatch(code -> !code.toString().startsWith("2"))) {
                undocumented.add(e + ": no documented error @APIResponse");
            }
            for (Map.Entry<?, ?> r : responses.entrySet()) {
                Map<?, ?> content = (Map<?, ?>) ((Map<?, ?>) r.getValue()).get("content");
                if (r.getKey().toString().startsWith("2") && content != null && content.values().stream()
                        .noneMatch(media -> ((Map<?, ?>) media).containsKey("examples"))) {
                    undocumented.add(e + ": no example for its " + r.getKey() + " answer");
                }
            }
            for (String shared : List.of("401", "403", "500")) { // added by ApiDocumentFilter where not documented
                if (e.path().startsWith("/api/") && !responses.containsKey(shared)) {
                    undocumented.add(e + ": no " + shared + " response");
                }
            }
            List<?> params = (List<?>) op.getOrDefault("parameters", List.of());
            for (Object p : params) {
                Map<?, ?> param = (Map<?, ?>) p;
                if (param.get("description") == null) {
                    undocumented.add(e + ": parameter " + param.get("name") + " has no @Parameter description");
                }
            }
        }
        assertThat(undocumented).as("endpoints to document with @Operation/@APIResponse/@Parameter").isEmpty();
    }

    @Test
    void shouldServeSwaggerUi() {
        RestAssured.get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    /** One JAX-RS resource method: HTTP method (lower case) and full path template. */
    record Endpoint(String method, String path, Method javaMethod) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path + " (" + javaMethod.getDeclaringClass().getSimpleName() + "."
                    + javaMethod.getName() + ")";
        }
    }

    static List<Endpoint> resourceMethods() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Class<?> type : classesUnder(PACKAGE)) {
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null || Modifier.isAbstract(type.getModifiers())) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String http = httpMethod(m);
                if (http == null) {
                    continue;
                }
                Path methodPath = m.getAnnotation(Path.class);
                String path = join(classPath.value(), methodPath == null ? "" : methodPath.value());
                endpoints.add(new Endpoint(http.toLowerCase(), path, m));
            }
        }
        return endpoints;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** Joins path segments the way OpenAPI writes them: one leading slash, templates without regexes. */
    static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        if (joined.length() > 1 && joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return joined.replaceAll("\\{\\s*([^:}\\s]+)\\s*:[^}]*}", "{$1}");
    }

    private static List<Class<?>> classesUnder(String pkg) {
        String folder = pkg.replace('.', '/');
        List<Class<?>> classes = new ArrayList<>();
        try {
            for (URL url : Collections.list(OpenApiDocumentTest.class.getClassLoader().getResources(folder))) {
                if (!"file".equals(url.getProtocol()) || url.getPath().contains("test-classes")) {
                    continue;
                }
                java.nio.file.Path root = Paths.get(url.toURI());
                try (Stream<java.nio.file.Path> walk = Files.walk(root)) {
                    for (java.nio.file.Path file : walk.filter(f -> f.toString().endsWith(".class")).toList()) {
                        String rel = root.relativize(file).toString();
                        String name = pkg + "." + rel.substring(0, rel.length() - ".class".length())
                                .replace('/', '.');
                        classes.add(Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        assertThat(classes).as("classes under " + pkg).isNotEmpty();
        return classes;
    }
}
