package io.logomesh.host.hostile;

import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The isolation cases of the hostile suite, run with the Node runtime. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class HostileNodeIsolationTest extends IsolationSuite {

    @Override
    protected String runtime() {
        return "node";
    }
}
