package io.logomesh.host.api;

import io.logomesh.host.container.NodeRefusedException;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cluster mode's "no node is ready" is answered 503 {@code node_refused} with {@code Retry-After}. */
class NodeRefusedMappingTest {

    @Test
    void shouldAnswer503NodeRefusedWithRetryAfter() {
        RestResponse<ErrorBody> answer = new ApiExceptionMappers()
                .nodeRefused(new NodeRefusedException("no swarm node is ready for the plugin: no node agent is linked"));

        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getEntity().error()).isEqualTo("node_refused");
        assertThat(answer.getEntity().message()).isEqualTo("no swarm node is ready for the plugin: no node agent is linked");
        assertThat(answer.getHeaderString(HttpHeaders.RETRY_AFTER))
                .isEqualTo(Long.toString(NodeRefusedException.RETRY_AFTER_SECONDS));
    }
}
