package io.logomesh.host.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.ipc.FrameCodec;
import io.logomesh.host.ipc.FrameDecoder;
import io.logomesh.host.ipc.FrameMalformedException;
import io.logomesh.host.ipc.FrameTooLargeException;
import io.logomesh.host.ipc.IpcMessage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPC framing and message parsing under random bytes, wrong and huge lengths and random chunking:
 * the decoder only ever returns frames within the cap or throws its two frame exceptions (and stays
 * failed); split anywhere, encoded frames come back whole; parsing any payload never throws.
 */
class IpcFrameFuzzTest {

    private static final int MAX = 4096;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final FrameCodec CODEC = new FrameCodec(MAPPER, MAX);
    private static final List<String> MESSAGES = List.of("{\"id\":1,\"method\":\"log\",\"params\":{\"m\":\"x\"}}",
            "{\"id\":2,\"result\":{\"ok\":true}}", "{\"id\":3,\"error\":{\"code\":\"e\",\"message\":\"m\"}}",
            "{\"method\":\"emit\",\"params\":null}");

    @Test
    void shouldOnlyYieldBoundedFramesOrFrameErrors() {
        int ran = Fuzz.run("ipc-frames", 5000, Duration.ofSeconds(5), r -> {
            FrameDecoder decoder = CODEC.newDecoder();
            byte[] stream = hostileStream(r);
            RuntimeException failed = null;
            int at = 0;
            while (at < stream.length) {
                int n = 1 + r.nextInt(Math.min(stream.length - at, 700));
                try {
                    for (byte[] frame : decoder.feed(stream, at, n)) {
                        assertThat(frame.length).isBetween(1, MAX);
                        parseQuietly(frame);
                    }
                } catch (FrameMalformedException | FrameTooLargeException e) {
                    if (failed != null) {
                        assertThat(e).isSameAs(failed);
                    }
                    failed = e;
                }
                at += n;
            }
        });
        assertThat(ran).isPositive();
    }

    @Test
    void shouldReassembleEncodedFramesSplitAnywhere() {
        int ran = Fuzz.run("ipc-roundtrip", 3000, Duration.ofSeconds(4), r -> {
            List<byte[]> sent = new ArrayList<>();
            ByteBuffer all = ByteBuffer.allocate(64 * MAX);
            int frames = 1 + r.nextInt(6);
            for (int i = 0; i < frames; i++) {
                byte[] payload = Mutants.randomBytes(r, MAX - 1);
                if (payload.length == 0) {
                    payload = new byte[] {1};
                }
                sent.add(payload);
                all.put(CODEC.encode(payload));
            }
            all.flip();
            byte[] stream = new byte[all.remaining()];
            all.get(stream);
            FrameDecoder decoder = CODEC.newDecoder();
            List<byte[]> got = new ArrayList<>();
            for (int at = 0; at < stream.length; ) {
                int n = 1 + r.nextInt(stream.length - at);
                got.addAll(decoder.feed(stream, at, n));
                at += n;
            }
            assertThat(got).hasSameSizeAs(sent);
            for (int i = 0; i < sent.size(); i++) {
                assertThat(got.get(i)).isEqualTo(sent.get(i));
            }
            assertThat(decoder.hasPartialFrame()).isFalse();
        });
        assertThat(ran).isPositive();
    }

    @Test
    void shouldParseAnyPayloadWithoutThrowing() {
        int ran = Fuzz.run("ipc-messages", 5000, Duration.ofSeconds(5), r -> {
            byte[] payload = switch (r.nextInt(4)) {
                case 0 -> Mutants.randomBytes(r, 300);
                case 1 -> JsonMutants.JSON.writeValueAsBytes(JsonMutants.value(r, 0));
                case 2 -> ("[".repeat(r.nextInt(5000)) + "1").getBytes(StandardCharsets.UTF_8);
                default -> Mutants.mutate(r, MESSAGES.get(r.nextInt(MESSAGES.size())).getBytes(StandardCharsets.UTF_8));
            };
            parseQuietly(payload);
        });
        assertThat(ran).isPositive();
    }

    private static void parseQuietly(byte[] payload) {
        IpcMessage.parse(payload, MAPPER).ifPresent(m -> assertThat(m.toJson(MAPPER)).isNotNull());
    }

    /** Valid frames, random bytes, zero, wrong and huge length headers, in random order. */
    private static byte[] hostileStream(Random r) {
        ByteBuffer out = ByteBuffer.allocate(32 * MAX);
        int parts = 1 + r.nextInt(6);
        for (int i = 0; i < parts; i++) {
            switch (r.nextInt(5)) {
                case 0 -> out.put(CODEC.encode(MESSAGES.get(r.nextInt(MESSAGES.size())).getBytes(StandardCharsets.UTF_8)));
                case 1 -> out.put(Mutants.randomBytes(r, 200));
                case 2 -> out.putInt(r.nextBoolean() ? 0 : -1 - r.nextInt(1000));
                case 3 -> out.putInt(MAX + 1 + r.nextInt(Integer.MAX_VALUE - MAX - 1));
                default -> {
                    out.putInt(1 + r.nextInt(MAX));
                    out.put(Mutants.randomBytes(r, 100));
                }
            }
        }
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
