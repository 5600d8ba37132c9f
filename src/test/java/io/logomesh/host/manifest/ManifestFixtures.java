package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the manifests under {@code src/test/resources/manifests/}. */
final class ManifestFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private ManifestFixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = ManifestFixtures.class.getResourceAsStream("/manifests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test manifest " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode json(String name) {
        try {
            return (ObjectNode) JSON.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
