package io.logomesh.host.messaging;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;

/** A flood from one plugin is refused for that plugin only: another pair keeps talking meanwhile. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
@TestProfile(MessagingFloodTest.TightLimits.class)
class MessagingFloodTest {

    /** Small limits, so the flood hits them quickly. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("logomesh.messaging.rate-per-second", "300", "logomesh.messaging.burst", "100",
                    "logomesh.messaging.max-in-flight-per-receiver", "8");
        }
    }

    @Inject
    AuditRecorder audit;

    @Test
    void shouldRefuseTheFloodingPluginWithoutDelayingAnotherPair() throws Exception {
        String flooder = installAndActivate(TestBundle.fixture("msg-node", "msg-f-flood")
                .manifest(m -> m.putArray("permissions").add("messaging:msg-f-sink")));
        String sink = installAndActivate(TestBundle.fixture("msg-node", "msg-f-sink"));
        String talker = installAndActivate(TestBundle.fixture("msg-python", "msg-f-talker")
                .manifest(m -> m.putArray("permissions").add("messaging:msg-f-listener")));
        String listener = installAndActivate(TestBundle.fixture("msg-node", "msg-f-listener"));
        try {
            int port = io.restassured.RestAssured.port;
            CompletableFuture<ValidatableResponse> flood = CompletableFuture.supplyAsync(() -> {
                io.restassured.RestAssured.port = port;
                return action(flooder, "{\"type\":\"sendMany\",\"payload\":{\"target\":\"" + sink
                        + "\",\"n\":50000,\"concurrency\":32}}");
            });
            awaitRefusals(flooder);

            ValidatableResponse pair = action(talker, "{\"type\":\"sendMany\",\"payload\":{\"target\":\"" + listener
                    + "\",\"n\":50,\"concurrency\":1}}").statusCode(200);
            Map<String, Integer> pairCodes = pair.extract().path("result.codes");
            assertThat(pairCodes).containsExactly(Map.entry("ok", 50));
            assertThat(flood).as("the pair finished while the flood was still going").isNotDone();

            Map<String, Integer> floodCodes = flood.get(90, TimeUnit.SECONDS).statusCode(200)
                    .extract().path("result.codes");
            assertThat(floodCodes.getOrDefault("rate_limited", 0)).isPositive();
            assertThat(floodCodes.keySet()).isSubsetOf(List.of("ok", "rate_limited", "busy"));
        } finally {
            List.of(flooder, sink, talker, listener).forEach(id -> uninstallQuietly(id));
        }
    }

    private void awaitRefusals(String flooder) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (audit.of("message", flooder).stream().anyMatch(e -> "rate_limited".equals(e.detail("code").asText()))) {
                return;
            }
            Thread.sleep(50);
        }
    }
}
