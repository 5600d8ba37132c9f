package io.logomesh.host.container.docker.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.transport.DockerHttpClient;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerLaunchException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The plugins' services on a swarm manager: created from a {@link SwarmServiceSpec} body (raw Engine API, since
 * docker-java's model lacks fields the lockdown needs), read and removed through docker-java.
 */
public final class SwarmServices {

    /** The Engine API version the bodies are written for (Engine 20.10). */
    static final String API = "/v1.41";
    /** The largest response body read from the manager. */
    static final int MAX_RESPONSE = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerClient manager;
    private final DockerHttpClient http;

    /**
     * @param manager docker-java on the manager's engine
     * @param http    the same engine's transport, for the requests docker-java cannot make
     */
    public SwarmServices(DockerClient manager, DockerHttpClient http) {
        this.manager = manager;
        this.http = http;
    }

    /**
     * Creates a service.
     *
     * @return its id
     * @throws ContainerLaunchException when the manager refuses it (with the manager's reason)
     */
    public String create(ObjectNode body) {
        return post("/services/create", body, "service");
    }

    /**
     * Creates a swarm secret (kept encrypted in the managers' store, handed only to the tasks that name it).
     *
     * @return its id
     */
    public String createSecret(String name, byte[] data, Map<String, String> labels) {
        ObjectNode body = JSON.createObjectNode().put("Name", name)
                .put("Data", java.util.Base64.getEncoder().encodeToString(data));
        body.set("Labels", JSON.valueToTree(labels));
        return post("/secrets/create", body, "secret");
    }

    /** Removes a secret; one already gone is fine. */
    public void removeSecret(String id) {
        try {
            manager.removeSecretCmd(id).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    private String post(String path, ObjectNode body, String what) {
        byte[] json = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(API + path)
                .putHeader("Content-Type", "application/json")
                .body(new ByteArrayInputStream(json))
                .build();
        JsonNode answer;
        int status;
        try (DockerHttpClient.Response response = http.execute(request)) {
            answer = read(response.getBody());
            status = response.getStatusCode();
        } catch (IOException | RuntimeException e) {
            throw new ContainerEngineException(e);
        }
        if (status / 100 != 2) {
            throw new ContainerLaunchException("the swarm manager refused the " + what + ": "
                    + answer.path("message").asText("status " + status));
        }
        String id = answer.path("ID").asText("");
        if (id.isEmpty()) {
            throw new ContainerLaunchException("the swarm manager answered no " + what + " id");
        }
        return id;
    }

    /** The service's tasks, newest first. */
    public List<ServiceTask> tasks(String serviceId) {
        try {
            return manager.listTasksCmd().withServiceFilter(serviceId).exec().stream()
                    .sorted(Comparator.comparing((Task t) -> t.getCreatedAt() == null ? "" : t.getCreatedAt()).reversed())
                    .map(SwarmServices::task)
                    .toList();
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /** The service's running task, if one runs. */
    public Optional<ServiceTask> running(String serviceId) {
        return tasks(serviceId).stream().filter(ServiceTask::running).findFirst();
    }

    /** Removes a service (its tasks' containers go with it); one already gone is fine. */
    public void remove(String serviceId) {
        try {
            manager.removeServiceCmd(serviceId).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /** The services labelled {@code io.logomesh.host=<hostId>}: id → their labels. */
    public Map<String, Map<String, String>> servicesOf(String hostId) {
        try {
            return manager.listServicesCmd().withLabelFilter(Map.of(
                            io.logomesh.host.container.docker.ContainerLabels.HOST, hostId)).exec().stream()
                    .collect(Collectors.toMap(com.github.dockerjava.api.model.Service::getId,
                            s -> s.getSpec() == null || s.getSpec().getLabels() == null ? Map.of()
                                    : s.getSpec().getLabels()));
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /** The swarm's nodes: id → their labels. */
    public Map<String, Map<String, String>> nodeLabels() {
        try {
            return manager.listSwarmNodesCmd().exec().stream()
                    .collect(Collectors.toMap(SwarmNode::getId, n -> n.getSpec() == null || n.getSpec().getLabels() == null
                            ? Map.of() : n.getSpec().getLabels()));
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /** The ids of the swarm's worker nodes, whatever their state (a node that is down is still a worker). */
    public List<String> workerIds() {
        try {
            return manager.listSwarmNodesCmd().exec().stream()
                    .filter(n -> n.getSpec() != null
                            && n.getSpec().getRole() == com.github.dockerjava.api.model.SwarmNodeRole.WORKER)
                    .map(SwarmNode::getId).filter(id -> id != null && !id.isEmpty()).sorted().toList();
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /** The swarm's workers with their state and availability, by id. */
    public Map<String, WorkerStatus> workers() {
        try {
            return manager.listSwarmNodesCmd().exec().stream()
                    .filter(n -> n.getId() != null && n.getSpec() != null
                            && n.getSpec().getRole() == com.github.dockerjava.api.model.SwarmNodeRole.WORKER)
                    .collect(Collectors.toMap(SwarmNode::getId, n -> new WorkerStatus(n.getId(),
                            n.getDescription() == null ? "" : n.getDescription().getHostname(),
                            n.getStatus() == null || n.getStatus().getState() == null ? "unknown"
                                    : n.getStatus().getState().name().toLowerCase(java.util.Locale.ROOT),
                            n.getSpec().getAvailability() == null ? "unknown"
                                    : n.getSpec().getAvailability().name().toLowerCase(java.util.Locale.ROOT))));
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /** The ids of the swarm secrets labelled with this host id. */
    public List<String> secretsOf(String hostId) {
        try {
            return manager.listSecretsCmd().withLabelFilter(Map.of(
                            io.logomesh.host.container.docker.ContainerLabels.HOST, hostId)).exec().stream()
                    .map(com.github.dockerjava.api.model.Secret::getId).toList();
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /** The swarm's nodes: id → hostname. */
    public Map<String, String> nodeHostnames() {
        try {
            return manager.listSwarmNodesCmd().exec().stream()
                    .collect(Collectors.toMap(SwarmNode::getId, n -> n.getDescription().getHostname()));
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    private static ServiceTask task(Task t) {
        var status = t.getStatus();
        String state = status == null || status.getState() == null ? "unknown" : name(status.getState());
        Optional<String> container = status == null || status.getContainerStatus() == null
                ? Optional.empty() : Optional.ofNullable(status.getContainerStatus().getContainerID());
        Optional<String> error = status == null ? Optional.empty() : Optional.ofNullable(status.getErr());
        long exit = status == null || status.getContainerStatus() == null
                || status.getContainerStatus().getExitCodeLong() == null ? 0 : status.getContainerStatus().getExitCodeLong();
        return new ServiceTask(t.getId(), Optional.ofNullable(t.getNodeId()).filter(s -> !s.isEmpty()), state,
                t.getDesiredState() == null ? "unknown" : name(t.getDesiredState()), container, error, exit);
    }

    private static String name(TaskState state) {
        return state.getValue();
    }

    private static JsonNode read(InputStream body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.readNBytes(MAX_RESPONSE);
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
