package io.logomesh.host.hostile;

import io.logomesh.host.prewarm.CellPool;
import io.logomesh.host.prewarm.HostilePrewarmProfile;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.EgressTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

import static io.logomesh.host.support.Api.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The egress cases of the hostile suite with the Node plugin in a prewarmed cell: its egress socket is opened in
 * the cell's IPC folder when it takes the cell, and it reaches exactly what it reaches cold.
 */
@QuarkusTest
@TestProfile(HostilePrewarmProfile.class)
@WithTestResource(EgressTestResource.class)
class HostilePrewarmedNodeEgressTest extends EgressSuite {

    @Inject
    CellPool cells;

    @Override
    protected String runtime() {
        return "node";
    }

    @Override
    protected void beforeNetworkedActivation() {
        for (int i = 0; i < 300 && cells.status().get("nodejs").ready() < 1; i++) {
            sleep(100);
        }
    }

    @Override
    protected void afterNetworkedActivation(String id) {
        String container = get(id).extract().path("containerId");
        assertThat(Docker.inspect(container).getConfig().getLabels()).as("it took a prewarmed cell")
                .containsEntry("io.logomesh.pool", "nodejs");
    }
}
