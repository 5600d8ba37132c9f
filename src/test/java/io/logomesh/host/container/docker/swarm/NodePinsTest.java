package io.logomesh.host.container.docker.swarm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodePinsTest {

    private static final String N1 = "aaaaaaaaaaaaaaaaaaaaaaaa1";
    private static final String N2 = "bbbbbbbbbbbbbbbbbbbbbbbb2";

    @TempDir
    Path dir;

    @Test
    void shouldKeepEachPluginsPinAcrossARestartOfTheHost() throws Exception {
        NodePins pins = NodePins.load(dir);
        assertThat(pins.nodeOf("notes")).isEmpty();

        pins.pin("notes", N2);
        pins.pin("cache", N1);

        NodePins again = NodePins.load(dir);
        assertThat(again.nodeOf("notes")).contains(N2);
        assertThat(again.all()).containsOnlyKeys("notes", "cache");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(NodePins.FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldDropAPinOnlyWhenItsPluginIsUnpinned() {
        NodePins pins = NodePins.load(dir);
        pins.pin("notes", N1);
        pins.pin("cache", N2);

        pins.unpin("notes");

        assertThat(NodePins.load(dir).all()).containsOnlyKeys("cache");
    }

    @Test
    void shouldChooseTheAvailableNodeHoldingTheFewestPinsForAFirstPlacement() {
        NodePins pins = NodePins.load(dir);
        assertThat(pins.choose(List.of(N2, N1))).as("a tie: by id").contains(N1);
        pins.pin("notes", N1);

        assertThat(pins.choose(List.of(N1, N2))).contains(N2);
        assertThat(pins.choose(List.of(N1))).contains(N1);
        assertThat(pins.choose(List.of())).isEmpty();
    }

    @Test
    void shouldRefuseAPinsFileItCannotReadRatherThanForgetWhereDataIs() throws Exception {
        Files.writeString(dir.resolve(NodePins.FILE), "{\"pins\": {\"notes\": \"../../etc\"}, \"owed\": []}");
        assertThatThrownBy(() -> NodePins.load(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("notes");

        Files.writeString(dir.resolve(NodePins.FILE), "[1, 2");
        assertThatThrownBy(() -> NodePins.load(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(NodePins.FILE);
    }

    @Test
    void shouldKeepTheDeletionsANodeOwesAcrossARestartUntilSettledAndDropOneWhenThePluginIsPinnedThereAgain() {
        NodePins pins = NodePins.load(dir);
        pins.owe("notes", N1);
        pins.owe("cache", N2);

        NodePins again = NodePins.load(dir);
        assertThat(again.owed()).containsExactlyInAnyOrder(new NodePins.Owed("notes", N1),
                new NodePins.Owed("cache", N2));
        again.settle(new NodePins.Owed("cache", N2));
        again.pin("notes", N1); // installed anew, placed there: its first placement emptied the folder

        assertThat(NodePins.load(dir).owed()).isEmpty();
        assertThat(NodePins.load(dir).nodeOf("notes")).contains(N1);
    }

    @Test
    void shouldRefuseToPinToSomethingThatIsNotANodeId() {
        NodePins pins = NodePins.load(dir);

        assertThatThrownBy(() -> pins.pin("notes", "node.id!=x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(pins.all()).isEmpty();
        assertThat(dir.resolve(NodePins.FILE)).doesNotExist();
    }
}
