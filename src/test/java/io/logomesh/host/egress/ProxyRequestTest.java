package io.logomesh.host.egress;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyRequestTest {

    private static ProxyRequest parse(String head) throws ProxyRequest.Bad {
        return ProxyRequest.parse(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldReadATunnelRequest() throws Exception {
        ProxyRequest r = parse("CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n");

        assertThat(r.tunnel()).isTrue();
        assertThat(r.destination()).isEqualTo("api.example.com:443");
        ProxyRequest v6 = parse("CONNECT [::1]:8080 HTTP/1.1\r\n\r\n");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.destination()).isEqualTo("[::1]:8080");
    }

    @Test
    void shouldRewriteAPlainRequestToOriginFormWithoutProxyHeadersAndClosing() throws Exception {
        ProxyRequest r = parse("GET http://localhost:8080/a/b?c=1 HTTP/1.1\r\nHost: localhost:8080\r\n"
                + "Proxy-Authorization: x\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive\r\nX-A: 1\r\n\r\n");

        assertThat(r.tunnel()).isFalse();
        assertThat(r.host()).isEqualTo("localhost");
        assertThat(r.port()).isEqualTo(8080);
        assertThat(r.forwardText()).contains("GET /a/b?c=1 HTTP/1.1\r\nHost: localhost:8080\r\nX-A: 1\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(parse("GET http://example.com HTTP/1.1\r\n\r\n").forwardText())
                .contains("GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
        assertThat(parse("GET http://example.com HTTP/1.1\r\n\r\n").port()).isEqualTo(80);
    }

    @Test
    void shouldRefuseWhatIsNotAProxyRequest() {
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\n\r\n")).hasMessageContaining("absolute http:// URL");
        assertThatThrownBy(() -> parse("GET https://a.example/ HTTP/1.1\r\n\r\n")).hasMessageContaining("CONNECT");
        assertThatThrownBy(() -> parse("CONNECT a.example HTTP/1.1\r\n\r\n")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> parse("GET http://u:p@a.example/ HTTP/1.1\r\n\r\n")).hasMessageContaining("credentials");
        assertThatThrownBy(() -> parse("garbage\r\n\r\n")).hasMessageContaining("request line");
        assertThatThrownBy(() -> parse("CONNECT a b:1:443 HTTP/1.1\r\n\r\n")).isInstanceOf(ProxyRequest.Bad.class);
    }
}
