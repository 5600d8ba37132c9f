package io.logomesh.host.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPatternTest {

    @Test
    void shouldMatchAnExactNameOnItsPortOnlyAndIgnoreCaseAndATrailingDot() {
        HostPattern p = HostPattern.parse("API.Example.com:443");

        assertThat(p.toString()).isEqualTo("api.example.com:443");
        assertThat(p.matches("api.example.com", 443)).isTrue();
        assertThat(p.matches("API.EXAMPLE.COM.", 443)).isTrue();
        assertThat(p.matches("api.example.com", 80)).isFalse();
        assertThat(p.matches("x.api.example.com", 443)).isFalse();
        assertThat(p.matches("api.example.com.evil.org", 443)).isFalse();
        assertThat(p.matches("evilapi.example.com", 443)).isFalse();
    }

    @Test
    void shouldLetAWildcardMatchSubdomainsButNeverTheBareDomainOrALookalike() {
        HostPattern p = HostPattern.parse("*.example.org:443");

        assertThat(p.wildcard()).isTrue();
        assertThat(p.matches("a.example.org", 443)).isTrue();
        assertThat(p.matches("a.b.example.org", 443)).isTrue();
        assertThat(p.matches("example.org", 443)).isFalse();
        assertThat(p.matches("badexample.org", 443)).isFalse();
        assertThat(p.matches("a.example.org.evil.net", 443)).isFalse();
        assertThat(p.matches("a.example.org", 8443)).isFalse();
    }

    @Test
    void shouldMatchAddressLiteralsByAddressWhateverTheirSpelling() {
        assertThat(HostPattern.parse("10.1.2.3:5432").matches("10.1.2.3", 5432)).isTrue();
        assertThat(HostPattern.parse("10.1.2.3:5432").matches("10.1.2.4", 5432)).isFalse();
        HostPattern v6 = HostPattern.parse("[fd00::1]:5432");
        assertThat(v6.literal()).isTrue();
        assertThat(v6.matches("fd00:0:0:0:0:0:0:1", 5432)).isTrue();
        assertThat(v6.matches("[FD00::1]", 5432)).isTrue();
        assertThat(v6.matches("fd00::2", 5432)).isFalse();
        assertThat(v6.toString()).isEqualTo("[fd00:0:0:0:0:0:0:1]:5432");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "api.example.com|has no port",
            "api.example.com:0|invalid port",
            "api.example.com:70000|invalid port",
            "api.example.com:*|invalid port",
            "api.example.com:80-90|invalid port",
            "https://api.example.com:443|without a scheme",
            "api.example.com:443/path|without a scheme or path",
            "a.*.example.com:443|only as the whole leftmost label",
            "*example.com:443|only as the whole leftmost label",
            "*:443|only as the whole leftmost label",
            "*.com:443|at least two labels",
            "-bad.example.com:443|invalid host name",
            "bad_name.example.com:443|invalid host name",
            "999.1.1.1:80|invalid IPv4",
            "fd00::1:5432|IPv6 address in brackets",
            "[zz::1]:5432|invalid IPv6",
            "' '|must not be empty"})
    void shouldExplainWhatIsWrongWithABadPattern(String pattern, String expected) {
        assertThat(HostPattern.problem(pattern)).get().asString().contains(expected);
        assertThatThrownBy(() -> HostPattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.example.com:443", "*.example.org:443", "10.1.2.3:5432", "[::1]:8080", "localhost:8080",
            "xn--bcher-kva.example:443"})
    void shouldAcceptGoodPatterns(String pattern) {
        assertThat(HostPattern.problem(pattern)).isEmpty();
    }

    @Test
    void shouldNeverResolveANameWhenAskedForALiteral() {
        assertThat(HostPattern.literal("localhost")).isEmpty();
        assertThat(HostPattern.literal("example.com")).isEmpty();
        assertThat(HostPattern.literal("127.0.0.1")).get().extracting(a -> a.getHostAddress()).isEqualTo("127.0.0.1");
    }
}
