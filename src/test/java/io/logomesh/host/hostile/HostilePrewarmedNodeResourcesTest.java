package io.logomesh.host.hostile;

import io.logomesh.host.prewarm.HostilePrewarmProfile;
import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The resources cases of the hostile suite, run with the Node runtime in prewarmed cells. */
@QuarkusTest
@TestProfile(HostilePrewarmProfile.class)
@WithTestResource(HostTestResource.class)
class HostilePrewarmedNodeResourcesTest extends ResourceContainmentSuite {

    @Override
    protected String runtime() {
        return "node";
    }
}
