package io.logomesh.host.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SecretStore store() {
        DataFolder data = TestDataFolders.at(dir);
        return new SecretStore(data, new SecretKeyFile(data), JSON);
    }

    @Test
    void shouldKeepValuesEncryptedUnderAnOwnerOnlyKeyAndGiveThemBack() throws Exception {
        SecretStore store = store();
        store.put("p1", "token", "hunter2-value");

        Path file = dir.resolve("plugins/p1/secrets.json");
        assertThat(Files.readString(file)).doesNotContain("hunter2-value");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets.key"))))
                .isEqualTo("rw-------");
        assertThat(store().values("p1")).containsEntry("token", "hunter2-value"); // a new instance, same key file
        assertThat(store.names("p1")).extracting(SecretStore.SecretName::name).containsExactly("token");
    }

    @Test
    void shouldRefuseAValueMovedToAnotherNameOrPlugin() throws Exception {
        SecretStore store = store();
        store.put("p1", "a", "value-of-a");
        store.put("p1", "b", "value-of-b");
        Path file = dir.resolve("plugins/p1/secrets.json");
        ObjectNode all = (ObjectNode) JSON.readTree(file.toFile());
        all.set("b", all.get("a").deepCopy());
        Files.write(file, JSON.writeValueAsBytes(all));

        assertThatThrownBy(() -> store.values("p1")).hasMessageContaining("cannot be decrypted")
                .hasMessageNotContaining("value-of-a");
        Files.createDirectories(dir.resolve("plugins/p2"));
        all.remove("b");
        Files.write(dir.resolve("plugins/p2/secrets.json"), JSON.writeValueAsBytes(all));
        assertThatThrownBy(() -> store.values("p2")).hasMessageContaining("cannot be decrypted");
    }

    @Test
    void shouldBoundNamesValuesAndCount() {
        SecretStore store = store();
        assertThatThrownBy(() -> store.put("p", "has space", "v")).hasMessageContaining("must match");
        assertThatThrownBy(() -> store.put("p", "x".repeat(65), "v")).hasMessageContaining("must match");
        assertThatThrownBy(() -> store.put("p", "ok", "é".repeat(SecretStore.MAX_VALUE_BYTES / 2 + 1)))
                .isInstanceOf(SecretRefusedException.class).hasMessageNotContaining("é");
        for (int i = 0; i < SecretStore.MAX_SECRETS; i++) {
            store.put("p", "s" + i, "v");
        }
        assertThatThrownBy(() -> store.put("p", "more", "v")).extracting(e -> ((SecretRefusedException) e).code())
                .isEqualTo("secret_limit");
        store.put("p", "s0", "replacing is not adding");
        assertThatThrownBy(() -> store.delete("p", "nope")).isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    void shouldRedactValuesOfFourCharactersOrMore() {
        SecretStore store = store();
        store.put("p", "long", "s3cr3t-long");
        store.put("p", "short", "abc");
        assertThat(store.redact("p", "login with s3cr3t-long failed (abc)"))
                .isEqualTo("login with [secret:long] failed (abc)");
        assertThat(store.redact("none", "s3cr3t-long")).isEqualTo("s3cr3t-long");
    }
}
