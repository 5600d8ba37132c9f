package io.logomesh.host.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @Test
    void shouldParseReleasePrereleaseAndBuild() {
        SemVer release = SemVer.parse("1.2.3");
        assertThat(release.major()).isEqualTo(1);
        assertThat(release.minor()).isEqualTo(2);
        assertThat(release.patch()).isEqualTo(3);
        assertThat(release.isPrerelease()).isFalse();

        SemVer beta = SemVer.parse("1.2.3-beta.1");
        assertThat(beta.prerelease()).containsExactly("beta", "1");
        assertThat(beta.isPrerelease()).isTrue();

        SemVer build = SemVer.parse("1.2.3+build.5");
        assertThat(build.build()).containsExactly("build", "5");
        assertThat(SemVer.parse("1.0.0-rc.1+exp.sha.5114f85").toString()).isEqualTo("1.0.0-rc.1+exp.sha.5114f85");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3-beta.1", "1.2.3+build", "0.0.0-0", "10.20.30-alpha-1.x+b.2"})
    void shouldPrintTheTextItWasParsedFrom(String text) {
        assertThat(SemVer.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2", "v1.2.3", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3+", "1.2.3-beta..1",
        "1.2.3.4", "a.b.c", "1.2.3 4", "99999999999.0.0"})
    void shouldRejectMalformedVersions(String text) {
        assertThatThrownBy(() -> SemVer.parse(text))
                .isInstanceOf(SemVerFormatException.class)
                .hasMessageContaining(text)
                .satisfies(e -> assertThat(((SemVerFormatException) e).code()).isEqualTo("semver_invalid"));
    }

    @Test
    void shouldRejectNull() {
        assertThatThrownBy(() -> SemVer.parse(null)).isInstanceOf(SemVerFormatException.class);
        assertThatThrownBy(() -> new SemVer(-1, 0, 0)).isInstanceOf(SemVerFormatException.class);
    }

    @Test
    void shouldOrderBySemverPrecedence() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0");
        List<SemVer> shuffled = new ArrayList<>(ordered.stream().map(SemVer::parse).toList());
        Collections.shuffle(shuffled, new java.util.Random(42));
        Collections.sort(shuffled);
        assertThat(shuffled).extracting(SemVer::toString).containsExactlyElementsOf(ordered);
    }

    @Test
    void shouldIgnoreBuildMetadataForPrecedenceButNotForEquality() {
        SemVer a = SemVer.parse("1.0.0+a");
        SemVer b = SemVer.parse("1.0.0+b");
        assertThat(a.compareTo(b)).isZero();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.sameTuple(SemVer.parse("1.0.0-rc.1"))).isTrue();
        assertThat(SemVer.parse("1.2.3")).isEqualTo(new SemVer(1, 2, 3));
    }

    @Test
    void shouldSerializeAsItsText() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.writeValueAsString(SemVer.parse("1.2.3-beta.1"))).isEqualTo("\"1.2.3-beta.1\"");
        assertThat(json.readValue("\"2.0.0\"", SemVer.class)).isEqualTo(new SemVer(2, 0, 0));
    }
}
