package io.logomesh.host.api;

import io.logomesh.host.container.NodeRefusedException;
import io.logomesh.host.container.NodeUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster mode's "no node is ready" is answered 503 {@code node_refused} with {@code Retry-After}, and a pinned
 * plugin's node away 503 {@code node_unavailable} with one.
 */
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

    @Test
    void shouldAnswer503NodeUnavailableWithRetryAfterAtTheWaitsCap() {
        RestResponse<ErrorBody> answer = new ApiExceptionMappers()
                .nodeUnavailable(new NodeUnavailableException("the node holding the data of plugin notes is paused"));

        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getEntity().error()).isEqualTo("node_unavailable");
        assertThat(answer.getHeaderString(HttpHeaders.RETRY_AFTER))
                .isEqualTo(Long.toString(NodeUnavailableException.RETRY_AFTER_SECONDS))
                .isEqualTo(Long.toString(io.logomesh.host.plugin.restart.RestartTracker.WAIT_CAP.toSeconds()));
    }
}
