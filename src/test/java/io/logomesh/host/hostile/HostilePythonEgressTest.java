package io.logomesh.host.hostile;

import io.logomesh.host.support.EgressTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The egress cases of the hostile suite, run with the Python runtime. */
@QuarkusTest
@WithTestResource(EgressTestResource.class)
class HostilePythonEgressTest extends EgressSuite {

    @Override
    protected String runtime() {
        return "python";
    }
}
