package io.logomesh.host.support;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link HostTestResource} with {@code logomesh.egress.allow-private} on, so that exact allow-list entries
 * may name the test's own listeners on loopback (tests send traffic only to loopback and the project's
 * own containers).
 */
public class EgressTestResource extends HostTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("logomesh.egress.allow-private", "true");
        return config;
    }
}
