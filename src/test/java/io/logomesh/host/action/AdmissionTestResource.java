package io.logomesh.host.action;

import io.logomesh.host.support.HostTestResource;

import java.util.HashMap;
import java.util.Map;

/** The test host with a small admission queue (2 waiting actions per plugin). */
public class AdmissionTestResource extends HostTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("logomesh.actions.queue-per-plugin", "2");
        return config;
    }
}
