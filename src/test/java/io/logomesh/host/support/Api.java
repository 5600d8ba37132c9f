package io.logomesh.host.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import static org.hamcrest.Matchers.is;

/** REST calls against the host under test, authenticated. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + HostTestResource.TOKEN);
    }

    public static ValidatableResponse install(byte[] bundle) {
        return api().contentType("application/gzip").body(bundle).post("/api/v1/plugins").then();
    }

    public static ValidatableResponse activate(String id) {
        return api().post("/api/v1/plugins/{id}/activate", id).then();
    }

    public static ValidatableResponse deactivate(String id) {
        return api().post("/api/v1/plugins/{id}/deactivate", id).then();
    }

    public static ValidatableResponse uninstall(String id) {
        return api().delete("/api/v1/plugins/{id}", id).then();
    }

    public static ValidatableResponse get(String id) {
        return api().get("/api/v1/plugins/{id}", id).then();
    }

    public static ValidatableResponse action(String id, String json) {
        return api().contentType(ContentType.JSON).body(json).post("/api/v1/plugins/{id}/actions", id).then();
    }

    /** Installs and activates a bundle, asserting both worked. */
    public static String installAndActivate(TestBundle bundle) {
        install(bundle.tarGz()).statusCode(201);
        activate(bundle.id()).statusCode(200).body("state", is("ACTIVE"));
        return bundle.id();
    }

    /** Polls the plugin until it reaches {@code state} (or fails after {@code seconds}). */
    public static ValidatableResponse awaitState(String id, String state, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            ValidatableResponse r = get(id);
            String now = r.extract().path("state");
            if (state.equals(now) || System.currentTimeMillis() > deadline) {
                return r.body("state", is(state));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Uninstalls if installed; for clean-up after a test. */
    public static void uninstallQuietly(String id) {
        api().delete("/api/v1/plugins/{id}", id);
    }
}
