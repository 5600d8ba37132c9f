package io.logomesh.host.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final FrameCodec codec = new FrameCodec(mapper, 1024);

    @Test
    void shouldEncodeLengthPrefixAndUtf8Payload() {
        ObjectNode message = mapper.createObjectNode().put("method", "héllo");

        ByteBuffer frame = codec.encode(message);

        byte[] payload = "{\"method\":\"héllo\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(frame.remaining()).isEqualTo(4 + payload.length);
        assertThat(frame.getInt()).isEqualTo(payload.length);
        byte[] rest = new byte[frame.remaining()];
        frame.get(rest);
        assertThat(rest).isEqualTo(payload);
    }

    @Test
    void shouldRefuseToEncodeOversizedOrEmptyPayloads() {
        assertThatThrownBy(() -> codec.encode(new byte[1025]))
                .isInstanceOf(FrameTooLargeException.class)
                .hasMessage("frame too large (1025 > 1024 bytes)")
                .extracting(e -> ((FrameTooLargeException) e).code()).isEqualTo("frame_too_large");
        assertThatThrownBy(() -> codec.encode(new byte[0]))
                .isInstanceOf(FrameMalformedException.class)
                .extracting(e -> ((FrameMalformedException) e).code()).isEqualTo("frame_malformed");
        assertThat(codec.encode(new byte[1024]).remaining()).isEqualTo(1028);
        assertThat(codec.maxFrameBytes()).isEqualTo(1024);
    }

    @Test
    void shouldDecodeFrameDeliveredOneByteAtATime() {
        byte[] frame = bytes(codec.encode(mapper.createObjectNode().put("id", 7)));
        FrameDecoder decoder = codec.newDecoder();
        List<byte[]> out = new ArrayList<>();

        for (int i = 0; i < frame.length; i++) {
            assertThat(out).isEmpty();
            out.addAll(decoder.feed(frame, i, 1));
            assertThat(decoder.hasPartialFrame()).isEqualTo(i < frame.length - 1);
        }

        assertThat(out).hasSize(1);
        assertThat(new String(out.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7}");
    }

    @Test
    void shouldDecodeManyFramesFromOneChunk() {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (int i = 1; i <= 5; i++) {
            chunk.writeBytes(bytes(codec.encode(mapper.createObjectNode().put("id", i))));
        }

        List<byte[]> out = codec.newDecoder().feed(ByteBuffer.wrap(chunk.toByteArray()));

        assertThat(out).extracting(p -> new String(p, StandardCharsets.UTF_8))
                .containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}", "{\"id\":4}", "{\"id\":5}");
    }

    @Test
    void shouldDecodeFramesSplitAtRandomPoints() {
        Random random = new Random(42);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String text = "x".repeat(random.nextInt(900));
            ObjectNode message = mapper.createObjectNode().put("id", i).put("text", text);
            expected.add(message.toString());
            stream.writeBytes(bytes(codec.encode(message)));
        }
        byte[] all = stream.toByteArray();
        FrameDecoder decoder = codec.newDecoder();
        List<String> decoded = new ArrayList<>();

        int offset = 0;
        while (offset < all.length) {
            int length = Math.min(all.length - offset, 1 + random.nextInt(random.nextBoolean() ? 7 : 3000));
            decoder.feed(all, offset, length).forEach(p -> decoded.add(new String(p, StandardCharsets.UTF_8)));
            offset += length;
        }

        assertThat(decoded).isEqualTo(expected);
        assertThat(decoder.hasPartialFrame()).isFalse();
    }

    @Test
    void shouldRejectOversizedHeaderBeforeAllocatingPayload() {
        FrameDecoder decoder = new FrameDecoder(1_048_576);
        ByteBuffer header = ByteBuffer.allocate(4).putInt(2_000_000).flip();

        assertThatThrownBy(() -> decoder.feed(header))
                .isInstanceOf(FrameTooLargeException.class)
                .hasMessage("frame too large (2000000 > 1048576 bytes)");
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(new byte[] {1})))
                .as("a failed decoder stays failed")
                .isInstanceOf(FrameTooLargeException.class);
    }

    @Test
    void shouldTreatLengthAsUnsigned() {
        ByteBuffer header = ByteBuffer.allocate(4).putInt(0xFFFF_FFFF).flip();

        assertThatThrownBy(() -> codec.newDecoder().feed(header))
                .isInstanceOf(FrameTooLargeException.class)
                .hasMessage("frame too large (4294967295 > 1024 bytes)");
    }

    @Test
    void shouldRejectZeroLengthFrame() {
        ByteBuffer header = ByteBuffer.allocate(4).putInt(0).flip();

        assertThatThrownBy(() -> codec.newDecoder().feed(header))
                .isInstanceOf(FrameMalformedException.class)
                .hasMessage("frame malformed (zero length)");
    }

    @Test
    void shouldDeliverFramesPrecedingABadHeaderInTheSameChunk() {
        ByteBuffer chunk = ByteBuffer.allocate(64);
        chunk.put(codec.encode(mapper.createObjectNode().put("id", 1))).putInt(0).flip();
        List<byte[]> delivered = new ArrayList<>();

        assertThatThrownBy(() -> codec.newDecoder().feed(chunk, delivered::add))
                .isInstanceOf(FrameMalformedException.class);
        assertThat(delivered).hasSize(1);
    }

    @Test
    void shouldRejectNonPositiveCap() {
        assertThatThrownBy(() -> new FrameDecoder(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameCodec(mapper, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
