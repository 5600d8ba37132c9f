package io.logomesh.host.ipc.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayHeaderTest {

    private static final String NODE = "abcdefghij0123456789klmno";

    @Test
    void shouldWriteAndReadAPluginHeader() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        RelayHeader.plugin("weather-report", NODE).write(out);

        assertThat(out.toString(StandardCharsets.US_ASCII))
                .isEqualTo("LOGOMESH-RELAY 1 plugin weather-report " + NODE + "\n");
        assertThat(RelayHeader.read(new ByteArrayInputStream(out.toByteArray())))
                .isEqualTo(new RelayHeader.Plugin("weather-report", NODE));
    }

    @Test
    void shouldWriteAndReadAControlHeader() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        RelayHeader.control(NODE).write(out);

        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("LOGOMESH-RELAY 1 control " + NODE + "\n");
        assertThat(RelayHeader.read(new ByteArrayInputStream(out.toByteArray())))
                .isEqualTo(new RelayHeader.Control(NODE));
    }

    @Test
    void shouldWriteAndReadAnEgressHeader() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        RelayHeader.egress("weather-report", NODE).write(out);

        assertThat(out.toString(StandardCharsets.US_ASCII))
                .isEqualTo("LOGOMESH-RELAY 1 egress weather-report " + NODE + "\n");
        assertThat(RelayHeader.read(new ByteArrayInputStream(out.toByteArray())))
                .isEqualTo(new RelayHeader.Egress("weather-report", NODE));
    }

    @Test
    void shouldWriteAndReadTheHeadersOfAPluginsNextSlotWithNextAsTheirLastWord() throws Exception {
        ByteArrayOutputStream plugin = new ByteArrayOutputStream();
        ByteArrayOutputStream egress = new ByteArrayOutputStream();

        RelayHeader.plugin("weather-report", NODE, true).write(plugin);
        RelayHeader.egress("weather-report", NODE, true).write(egress);

        assertThat(plugin.toString(StandardCharsets.US_ASCII))
                .isEqualTo("LOGOMESH-RELAY 1 plugin weather-report " + NODE + " next\n");
        assertThat(egress.toString(StandardCharsets.US_ASCII))
                .isEqualTo("LOGOMESH-RELAY 1 egress weather-report " + NODE + " next\n");
        assertThat(RelayHeader.read(new ByteArrayInputStream(plugin.toByteArray())))
                .isEqualTo(new RelayHeader.Plugin("weather-report", NODE, true))
                .isNotEqualTo(new RelayHeader.Plugin("weather-report", NODE));
        assertThat(RelayHeader.read(new ByteArrayInputStream(egress.toByteArray())))
                .isEqualTo(new RelayHeader.Egress("weather-report", NODE, true));
        assertThat(RelayHeader.plugin("weather-report", NODE, false)).as("the first slot's header is the old one")
                .isEqualTo(RelayHeader.plugin("weather-report", NODE));
    }

    @Test
    void shouldNotReadPastTheNewline() throws Exception {
        InputStream in = stream("LOGOMESH-RELAY 1 plugin p1 " + NODE + "\nFRAME");

        RelayHeader.read(in);

        assertThat(in.readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("FRAME");
    }

    @Test
    void shouldAcceptTheLongestPluginIdAndAPrewarmedCellsName() throws Exception {
        String longest = "a" + "-".repeat(62);
        assertThat(RelayHeader.read(stream("LOGOMESH-RELAY 1 plugin " + longest + " " + NODE + "\n")))
                .isEqualTo(RelayHeader.plugin(longest, NODE));
        assertThat(RelayHeader.read(stream("LOGOMESH-RELAY 1 plugin cell-python-12 " + NODE + "\n")))
                .isEqualTo(RelayHeader.plugin("cell-python-12", NODE));
        assertThat(RelayHeader.read(stream("LOGOMESH-RELAY 1 plugin -p1 " + NODE + "\n")))
                .as("the manifest schema allows a leading -").isEqualTo(RelayHeader.plugin("-p1", NODE));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "LOGOMESH-RELAY",
        "LOGOMESH-RELAY 1",
        "logomesh-relay 1 plugin p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 2 plugin p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 status abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 control",
        "LOGOMESH-RELAY 1 control abcdefghij0123456789klmno extra",
        "LOGOMESH-RELAY 1 control abcdefghij0123456789klmn",
        "LOGOMESH-RELAY 1 control ../../etc/passwd0123456789",
        "LOGOMESH-RELAY 1 PLUGIN p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 plugin p1",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno extra",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno ",
        " LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY  1 plugin p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 plugin  p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY\t1 plugin p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno\r",
        "LOGOMESH-RELAY 1 plugin ../x abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 plugin a/b abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 plugin p.1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 plugin Weather abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmn",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmnop",
        "LOGOMESH-RELAY 1 plugin p1 ABCDEFGHIJ0123456789KLMNO",
        "LOGOMESH-RELAY 1 plugin pé abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 egress p1",
        "LOGOMESH-RELAY 1 egress abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 egress p1 abcdefghij0123456789klmno extra",
        "LOGOMESH-RELAY 1 egress p1 abcdefghij0123456789klmno ",
        "LOGOMESH-RELAY 1 egress  p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 egress ../x abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 egress p.1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 egress p1 abcdefghij0123456789klmn",
        "LOGOMESH-RELAY 1 EGRESS p1 abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 egress p1 abcdefghij0123456789klmno\r",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno NEXT",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno next ",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno  next",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno next next",
        "LOGOMESH-RELAY 1 plugin p1 abcdefghij0123456789klmno first",
        "LOGOMESH-RELAY 1 plugin p1.next abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 plugin p1 next abcdefghij0123456789klmno",
        "LOGOMESH-RELAY 1 egress p1 abcdefghij0123456789klmno nxt",
        "LOGOMESH-RELAY 1 control abcdefghij0123456789klmno next",
    })
    void shouldRefuseAnythingButAWellFormedLine(String line) {
        assertThatThrownBy(() -> RelayHeader.read(new ByteArrayInputStream(
                (line + "\n").getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(RelayHeaderException.class);
    }

    @Test
    void shouldRefuseAPluginIdLongerThanSixtyThreeCharacters() {
        assertThatThrownBy(() -> RelayHeader.read(stream("LOGOMESH-RELAY 1 plugin " + "a".repeat(64) + " " + NODE
                + "\n"))).isInstanceOf(RelayHeaderException.class);
    }

    @Test
    void shouldRefuseALineWithoutANewlineWithinItsLimitAndReadNoFurther() throws Exception {
        InputStream in = stream("LOGOMESH-RELAY 1 plugin " + "a".repeat(400));

        assertThatThrownBy(() -> RelayHeader.read(in))
                .isInstanceOf(RelayHeaderException.class)
                .hasMessageContaining("256");
        assertThat(in.readAllBytes()).hasSize(24 + 400 - RelayHeader.MAX_BYTES);
    }

    @Test
    void shouldRefuseAHeaderThatEndsBeforeItsNewline() {
        assertThatThrownBy(() -> RelayHeader.read(stream("LOGOMESH-RELAY 1 plugin p1 " + NODE)))
                .isInstanceOf(RelayHeaderException.class)
                .hasMessageContaining("ended");
    }

    @Test
    void shouldRefuseToBuildAHeaderWithABadId() {
        assertThatThrownBy(() -> RelayHeader.plugin("../x", NODE)).isInstanceOf(RelayHeaderException.class);
        assertThatThrownBy(() -> RelayHeader.plugin("p1", "node-1")).isInstanceOf(RelayHeaderException.class);
    }

    @Test
    void shouldNotRepeatThePeersBytesInItsMessage() {
        assertThatThrownBy(() -> RelayHeader.read(stream("LOGOMESH-RELAY 1 <script> " + NODE + "\n")))
                .isInstanceOf(RelayHeaderException.class)
                .message().doesNotContain("<script>");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
