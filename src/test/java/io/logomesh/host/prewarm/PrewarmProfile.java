package io.logomesh.host.prewarm;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The host with one prewarmed cell per runtime (Node.js cells at securityLevel standard, as the echo fixtures). */
public class PrewarmProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "logomesh.prewarm.nodejs.size", "1",
                "logomesh.prewarm.nodejs.security-level", "standard",
                "logomesh.prewarm.python.size", "1",
                "logomesh.prewarm.webassembly.size", "1",
                "logomesh.prewarm.refill-parallelism", "1");
    }
}
