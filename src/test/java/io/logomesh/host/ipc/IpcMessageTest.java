package io.logomesh.host.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.logomesh.host.ipc.IpcMessage.Notification;
import io.logomesh.host.ipc.IpcMessage.Request;
import io.logomesh.host.ipc.IpcMessage.Response;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpcMessageTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private Optional<IpcMessage> parse(String json) {
        return IpcMessage.parse(json.getBytes(StandardCharsets.UTF_8), mapper);
    }

    @Test
    void shouldParseRequest() {
        IpcMessage message = parse("{\"id\":3,\"method\":\"emit\",\"params\":{\"topic\":\"t\"}}").orElseThrow();

        assertThat(message).isInstanceOf(Request.class);
        Request request = (Request) message;
        assertThat(request.id()).isEqualTo(3);
        assertThat(request.method()).isEqualTo("emit");
        assertThat(request.params().get("topic").asText()).isEqualTo("t");
    }

    @Test
    void shouldParseNotificationWithMissingParamsAsEmptyObject() {
        IpcMessage message = parse("{\"method\":\"log\"}").orElseThrow();

        assertThat(message).isEqualTo(new Notification("log", mapper.createObjectNode()));
        assertThat(parse("{\"method\":\"log\",\"params\":null}")).contains(message);
    }

    @Test
    void shouldParseSuccessAndErrorResponses() {
        Response ok = (Response) parse("{\"id\":1,\"result\":null}").orElseThrow();
        Response failed = (Response) parse("{\"id\":2,\"error\":{\"code\":\"plugin_error\",\"message\":\"boom\"}}")
                .orElseThrow();
        Response bare = (Response) parse("{\"id\":3,\"error\":{\"code\":\"x\"}}").orElseThrow();

        assertThat(ok.isError()).isFalse();
        assertThat(ok.result()).isEqualTo(NullNode.getInstance());
        assertThat(failed.isError()).isTrue();
        assertThat(failed.error()).isEqualTo(new RpcError("plugin_error", "boom"));
        assertThat(bare.error().message()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "[1,2]", "42", "\"text\"", "null", "{}",
        "{\"id\":1}", "{\"id\":\"1\",\"result\":1}", "{\"id\":1.5,\"result\":1}",
        "{\"id\":99999999999999999999999,\"result\":1}", "{\"method\":3}",
        "{\"method\":\"log\",\"params\":[1]}", "{\"id\":1,\"error\":\"bad\"}",
        "{\"id\":1,\"error\":{\"message\":\"no code\"}}", "{\"result\":1}", "{\"id\":1,\"result\":1} trailing {"
    })
    void shouldTreatMalformedMessagesAsGarbage(String json) {
        assertThat(parse(json)).isEmpty();
    }

    @Test
    void shouldTreatInvalidUtf8AsGarbage() {
        assertThat(IpcMessage.parse(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, mapper)).isEmpty();
    }

    @Test
    void shouldRoundTripEveryKindThroughJson() {
        IpcMessage[] messages = {
            new Request(5, "execute", mapper.createObjectNode().put("a", 1)),
            new Notification("shutdown", mapper.createObjectNode()),
            Response.success(6, mapper.getNodeFactory().textNode("ok")),
            Response.success(7, null),
            Response.failure(8, new RpcError("denied", "no"))
        };
        for (IpcMessage message : messages) {
            byte[] bytes = message.toJson(mapper).toString().getBytes(StandardCharsets.UTF_8);
            assertThat(IpcMessage.parse(bytes, mapper)).contains(message);
        }
        assertThat(new Request(1, "m", null).toJson(mapper).get("params").isObject()).isTrue();
        assertThat(new Notification("m", null).toJson(mapper).get("params").isObject()).isTrue();
    }
}
