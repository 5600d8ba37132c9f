package io.logomesh.host.prewarm;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The hostile suite's host with prewarmed cells (Node.js cells at securityLevel elevated, as its fixtures). */
public class HostilePrewarmProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "logomesh.prewarm.nodejs.size", "1",
                "logomesh.prewarm.nodejs.security-level", "elevated",
                "logomesh.prewarm.python.size", "1",
                "logomesh.prewarm.webassembly.size", "0",
                "logomesh.prewarm.refill-parallelism", "1");
    }
}
