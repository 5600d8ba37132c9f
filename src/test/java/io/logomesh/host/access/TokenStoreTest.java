package io.logomesh.host.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void shouldKeepTokensAcrossRestartsAsHashesOnly(@TempDir Path dir) throws Exception {
        IssuedToken issued = store(dir).create("caller", "shop", List.of("hello-node", "hello-node"));

        TokenStore reopened = store(dir);

        assertThat(reopened.authenticate(issued.token())).get()
                .satisfies(t -> assertThat(t.role()).isEqualTo("caller"))
                .satisfies(t -> assertThat(t.plugins()).containsExactly("hello-node"));
        assertThat(reopened.authenticate("initial-secret")).get().extracting(TokenInfo::id).isEqualTo(InitialToken.ID);
        assertThat(reopened.authenticate(issued.token() + "x")).isEmpty();
        assertThat(reopened.authenticate("")).isEmpty();
        String file = Files.readString(dir.resolve("api-tokens.json"));
        assertThat(file).doesNotContain(issued.token()).contains(issued.info().id())
                .contains(java.util.HexFormat.of().formatHex(TokenStore.sha256(issued.token())));
    }

    @Test
    void shouldRefuseTokensThatSayNothingSensible(@TempDir Path dir) {
        TokenStore tokens = store(dir);

        assertThatThrownBy(() -> tokens.create("root", null, null)).hasMessageContaining("role must be");
        assertThatThrownBy(() -> tokens.create("caller", null, List.of())).hasMessageContaining("names 1-");
        assertThatThrownBy(() -> tokens.create("caller", null, List.of("../etc"))).hasMessageContaining("plugin ids");
        assertThatThrownBy(() -> tokens.create("viewer", null, List.of("p"))).hasMessageContaining("only a caller");
        assertThatThrownBy(() -> tokens.create("viewer", "x".repeat(65), null)).hasMessageContaining("name must be");
        assertThatThrownBy(() -> tokens.revoke("tok_missing")).isInstanceOf(TokenNotFoundException.class);
        assertThatThrownBy(() -> tokens.revoke(InitialToken.ID)).isInstanceOf(TokenRefusedException.class);
    }

    @Test
    void shouldForgetARevokedTokenAtOnce(@TempDir Path dir) {
        TokenStore tokens = store(dir);
        IssuedToken issued = tokens.create("viewer", null, null);

        tokens.revoke(issued.info().id());

        assertThat(tokens.authenticate(issued.token())).isEmpty();
        assertThat(store(dir).authenticate(issued.token())).isEmpty();
        assertThat(tokens.list()).extracting(TokenInfo::id).containsExactly(InitialToken.ID);
    }

    private static TokenStore store(Path dir) {
        HostConfig config = TestDataFolders.config(dir, Optional.of("initial-secret"));
        DataFolder data = new DataFolder(config);
        return new TokenStore(data, JSON, new InitialToken(config, data));
    }
}
