package io.logomesh.host.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.logomesh.host.audit.RefusalLimiter.Verdict.SUPPRESS;
import static io.logomesh.host.audit.RefusalLimiter.Verdict.TRIP;
import static io.logomesh.host.audit.RefusalLimiter.Verdict.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/** Refusals are recorded up to a rate per source; the rest become one summary per kind and window. */
class RefusalLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final RefusalLimiter limiter = new RefusalLimiter(2, 5, 10 * SECOND);

    private static AuditEvent refusal(String plugin, String type, String outcome) {
        return AuditEvent.of(type, plugin, AuditEvent.plugin(plugin), outcome, AuditEvent.newDetails());
    }

    private static AuditEvent unauthenticated(String remote) {
        return AuditEvent.of("operator", null, "unauthenticated", "denied",
                AuditEvent.newDetails().put("status", 401).put("remote", remote));
    }

    @Test
    void shouldRecordTheBurstThenCountAndSummariseOncePerKind() {
        int written = 0;
        int trips = 0;
        for (int i = 0; i < 200; i++) {
            RefusalLimiter.Verdict v = limiter.admit(refusal("p", "message", i % 2 == 0 ? "failed" : "denied"), 0);
            written += v == WRITE ? 1 : 0;
            trips += v == TRIP ? 1 : 0;
        }
        assertThat(written).isEqualTo(5);
        assertThat(trips).as("one alert per episode").isEqualTo(1);
        assertThat(limiter.pending()).isEqualTo(195);
        assertThat(limiter.summaries(5 * SECOND, false)).as("window not over yet").isEmpty();

        List<AuditEvent> summaries = limiter.summaries(10 * SECOND, false);
        assertThat(summaries).hasSize(2).allSatisfy(s -> {
            assertThat(s.type()).isEqualTo("audit");
            assertThat(s.outcome()).isEqualTo("suppressed");
            assertThat(s.pluginId()).isEqualTo("p");
            assertThat(s.actor()).isEqualTo(AuditEvent.HOST);
            assertThat(s.detail("source").asText()).isEqualTo("plugin:p");
        });
        assertThat(summaries).extracting(s -> s.detail("kind").asText()).containsExactlyInAnyOrder("message:failed",
                "message:denied");
        assertThat(summaries.stream().mapToLong(s -> s.detail("suppressed").asLong()).sum()).isEqualTo(195);
        assertThat(summaries.get(0).detail("message").asText()).matches("\\d+ refusals of kind message:\\w+ suppressed in the last 10 s");
        assertThat(limiter.pending()).isZero();
        assertThat(limiter.summaries(30 * SECOND, false)).isEmpty();
    }

    @Test
    void shouldRefillAtTheRateAndTripAgainOnlyAfterAQuietSpell() {
        for (int i = 0; i < 6; i++) {
            limiter.admit(refusal("p", "event", "denied"), 0);
        }
        assertThat(limiter.admit(refusal("p", "event", "denied"), SECOND / 2)).as("one token after 0.5 s").isEqualTo(WRITE);
        assertThat(limiter.admit(refusal("p", "event", "denied"), SECOND / 2)).as("same episode").isEqualTo(SUPPRESS);
        limiter.summaries(20 * SECOND, false); // summarised
        limiter.summaries(40 * SECOND, false); // quiet and full again: forgotten
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.admit(refusal("p", "event", "denied"), 40 * SECOND)).isEqualTo(WRITE);
        }
        assertThat(limiter.admit(refusal("p", "event", "denied"), 40 * SECOND)).isEqualTo(TRIP);
    }

    @Test
    void shouldKeepSourcesApartAndNeverLimitOperatorsHostOrSuccesses() {
        for (int i = 0; i < 50; i++) {
            limiter.admit(refusal("flooder", "permission", "pending"), 0);
        }
        assertThat(limiter.admit(refusal("neighbour", "permission", "pending"), 0)).isEqualTo(WRITE);
        assertThat(limiter.admit(refusal("flooder", "message", "delivered"), 0)).isEqualTo(WRITE);
        assertThat(limiter.admit(AuditEvent.of("action", "flooder", "operator", "plugin_error", null), 0)).isEqualTo(WRITE);
        assertThat(limiter.admit(AuditEvent.of("lifecycle", "flooder", "host", "failed", null), 0)).isEqualTo(WRITE);
    }

    @Test
    void shouldLimitUnauthenticatedCallsPerRemoteAddress() {
        int written = 0;
        for (int i = 0; i < 1000; i++) {
            written += limiter.admit(unauthenticated("10.0.0.1"), 0) == WRITE ? 1 : 0;
        }
        assertThat(written).isEqualTo(5);
        assertThat(limiter.admit(unauthenticated("10.0.0.2"), 0)).isEqualTo(WRITE);
        List<AuditEvent> s = limiter.summaries(0, true);
        assertThat(s).singleElement().satisfies(e -> {
            assertThat(e.pluginId()).isNull();
            assertThat(e.detail("source").asText()).isEqualTo("remote:10.0.0.1");
            assertThat(e.detail("kind").asText()).isEqualTo("operator:denied");
            assertThat(e.detail("suppressed").asLong()).isEqualTo(995);
        });
    }
}
