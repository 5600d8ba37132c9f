package io.logomesh.host.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerRangeTest {

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource(delimiter = ';', value = {
        // exact and =
        "1.2.3; 1.2.3", "=1.2.3; 1.2.3", "v1.2.3; 1.2.3", "1.2.3; 1.2.3+build",
        // caret
        "^1.2.3; 1.2.3", "^1.2.3; 1.9.9", "^0.2.3; 0.2.9", "^0.0.3; 0.0.3", "^1.2.x; 1.9.0", "^0.x; 0.9.9",
        "^0.0.x; 0.0.9", "^0.0; 0.0.5", "^1; 1.5.0", "^0.1.x; 0.1.7", "^*; 3.0.0", "^ 1.2.3; 1.4.0",
        // tilde
        "~1.2.3; 1.2.3", "~1.2.3; 1.2.99", "~1.2; 1.2.5", "~1; 1.9.0", "~0.2.3; 0.2.4", "~>1.2.3; 1.2.4", "~*; 0.1.0",
        // x-ranges
        "1.2.x; 1.2.0", "1.2.x; 1.2.9", "1.x; 1.99.0", "1.X; 1.0.0", "1.*; 1.5.5", "*; 0.0.0", "*; 42.0.0", "x; 1.0.0",
        "1; 1.2.3", "1.2; 1.2.3",
        // comparators
        ">=1.0.0 <2.0.0; 1.5.0", ">=1.0.0 <2.0.0; 1.0.0", ">1.0.0; 1.0.1", "<2.0.0; 1.9.9", "<=2.0.0; 2.0.0",
        ">= 1.0.0 < 2.0.0; 1.2.0", ">1; 2.0.0", ">1.2; 1.3.0", ">=1.2; 1.2.0", "<1.2; 1.1.9", "<=1.2; 1.2.9",
        "<=1; 1.9.9", ">=*; 1.0.0", "<=*; 9.9.9",
        // ||
        "1.x || >=3.0.0; 1.5.0", "1.x || >=3.0.0; 3.1.0", "<1.0.0 || >2.0.0; 2.0.1",
        // hyphen
        "1.2.3 - 2.0.0; 1.2.3", "1.2.3 - 2.0.0; 2.0.0", "1.2 - 2.3.4; 1.2.0", "1.2.3 - 2.3; 2.3.9", "1.2.3 - 2; 2.9.9",
        "* - 2.0.0; 0.0.1", "1.0.0 - *; 9.0.0",
        // pre-releases: same tuple with a pre-release in the comparator
        "^1.2.3-beta.1; 1.2.3-beta.2", "^1.2.3-beta.1; 1.2.3", "~1.2.3-beta; 1.2.3-rc.1", ">=1.0.0-alpha <1.0.0; 1.0.0-beta",
        "1.0.0-rc.1; 1.0.0-rc.1", "^0.0.3-beta; 0.0.3-rc", "1.2.3-beta - 1.2.3; 1.2.3-gamma",
    })
    void shouldMatch(String range, String version) {
        assertThat(SemVerRange.parse(range).matches(SemVer.parse(version))).isTrue();
    }

    @ParameterizedTest(name = "{0} does not match {1}")
    @CsvSource(delimiter = ';', value = {
        "1.2.3; 1.2.4", "=1.2.3; 1.2.2",
        "^1.2.3; 2.0.0", "^1.2.3; 1.2.2", "^0.2.3; 0.3.0", "^0.2.3; 0.2.2", "^0.0.3; 0.0.4", "^0.0.3; 0.1.0",
        "^0.x; 1.0.0", "^0.0.x; 0.1.0", "^0.1.x; 0.2.0", "^1.x; 2.0.0",
        "~1.2.3; 1.3.0", "~1.2.3; 1.2.2", "~1; 2.0.0", "~0.2.3; 0.3.0",
        "1.2.x; 1.3.0", "1.2.x; 1.1.9", "1.x; 2.0.0", "1; 0.9.9",
        ">=1.0.0 <2.0.0; 2.0.0", ">=1.0.0 <2.0.0; 0.9.9", ">1.0.0; 1.0.0", "<2.0.0; 2.0.0", "<=2.0.0; 2.0.1",
        ">1; 1.9.9", ">1.2; 1.2.9", "<1.2; 1.2.0", "<=1.2; 1.3.0", "<1; 1.0.0", ">*; 1.0.0", "<*; 0.0.0",
        "1.x || >=3.0.0; 2.5.0", "<1.0.0 || >2.0.0; 1.5.0",
        "1.2.3 - 2.0.0; 2.0.1", "1.2.3 - 2.0.0; 1.2.2", "1.2.3 - 2.3; 2.4.0", "1.2.3 - 2; 3.0.0",
        // pre-releases of other tuples never match (npm rule)
        "^1.2.3; 1.3.0-beta", "^1.2.3-beta.1; 1.3.0-beta.1", "*; 1.0.0-alpha", "1.x; 1.5.0-rc.1",
        ">=1.0.0; 2.0.0-alpha", "<1.2.3; 1.2.3-beta", "^1.2.3-beta.2; 1.2.3-beta.1", "^0.0.3-beta; 0.0.4-beta",
        "^1.x; 2.0.0-0",
    })
    void shouldNotMatch(String range, String version) {
        assertThat(SemVerRange.parse(range).matches(SemVer.parse(version))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "^", "1.2.z", "^1.2.z", ">=abc", "1.2.3 -", "1.2.3 || ", "|| 1.0.0", "1.2.3 - 2.0.0 - 3.0.0",
        ">=01.0.0", "~>", "=>1.0.0", "1.2.3-", "99999999999.0.0"})
    void shouldRejectMalformedRanges(String text) {
        assertThatThrownBy(() -> SemVerRange.parse(text))
                .isInstanceOf(SemVerFormatException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void shouldExplainWhatIsWrong() {
        assertThatThrownBy(() -> SemVerRange.parse("^1.2.z"))
                .hasMessage("'^1.2.z' is not a valid semver range: '1.2.z' is not a version or version pattern");
        assertThatThrownBy(() -> SemVerRange.parse(null)).hasMessage("a version range must not be empty");
    }

    @Test
    void shouldRejectBoundsThatOverflow() {
        String max = String.valueOf(Integer.MAX_VALUE);
        assertThatThrownBy(() -> SemVerRange.parse("^" + max + ".0.0")).isInstanceOf(SemVerFormatException.class);
        assertThat(SemVerRange.parse(max + ".0.0").matches(new SemVer(Integer.MAX_VALUE, 0, 0))).isTrue();
    }

    @Test
    void shouldKeepItsTextAndCompareByIt() throws Exception {
        SemVerRange range = SemVerRange.parse(">=1.0.0 <2.0.0 || ^3.1");
        assertThat(range).hasToString(">=1.0.0 <2.0.0 || ^3.1");
        assertThat(range).isEqualTo(SemVerRange.parse(">=1.0.0 <2.0.0 || ^3.1")).isNotEqualTo(SemVerRange.parse("^1.0.0"));
        assertThat(range.hashCode()).isEqualTo(SemVerRange.parse(">=1.0.0 <2.0.0 || ^3.1").hashCode());
        ObjectMapper json = new ObjectMapper();
        assertThat(json.writeValueAsString(range)).isEqualTo("\">=1.0.0 <2.0.0 || ^3.1\"");
        assertThat(json.readValue("\"~1.2\"", SemVerRange.class)).isEqualTo(SemVerRange.parse("~1.2"));
    }
}
