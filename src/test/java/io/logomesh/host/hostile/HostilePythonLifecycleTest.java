package io.logomesh.host.hostile;

import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The lifecycle-hang cases of the hostile suite, run with the Python runtime. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class HostilePythonLifecycleTest extends LifecycleHangSuite {

    @Override
    protected String runtime() {
        return "python";
    }
}
