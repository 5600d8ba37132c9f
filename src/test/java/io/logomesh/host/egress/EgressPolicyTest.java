package io.logomesh.host.egress;

import io.logomesh.host.manifest.HostPattern;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EgressPolicyTest {

    private final List<String> resolved = new ArrayList<>();

    private EgressResolver names(Map<String, String> table) {
        return name -> {
            resolved.add(name);
            String a = table.get(name);
            if (a == null) {
                throw new UnknownHostException(name);
            }
            List<InetAddress> out = new ArrayList<>();
            for (String s : a.split(" ")) {
                out.add(InetAddress.getByName(s));
            }
            return out;
        };
    }

    private static EgressPolicy policy(boolean allowPrivate, String... patterns) {
        return new EgressPolicy(java.util.Arrays.stream(patterns).map(HostPattern::parse).toList(), allowPrivate);
    }

    @Test
    void shouldNeverResolveANameThatNoPatternMatches() {
        EgressDecision d = policy(false, "api.example.com:443").decide("other.example.com", 443,
                names(Map.of("other.example.com", "93.184.216.34")), Set::of);

        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("other.example.com:443 is not in the plugin's allow-list");
        assertThat(resolved).isEmpty();
    }

    @Test
    void shouldAllowAListedPublicNameAndConnectToExactlyTheAddressesItResolved() throws Exception {
        EgressDecision d = policy(false, "*.example.org:443").decide("a.example.org", 443,
                names(Map.of("a.example.org", "93.184.216.34 93.184.216.35")), Set::of);

        assertThat(d.allowed()).isTrue();
        assertThat(d.pattern()).isEqualTo("*.example.org:443");
        assertThat(d.addresses()).containsExactly(InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("93.184.216.35"));
    }

    @Test
    void shouldRefuseAListedNameThatResolvesToAPrivateOrMetadataAddress() {
        EgressDecision rebinding = policy(true, "api.example.com:443").decide("api.example.com", 443,
                names(Map.of("api.example.com", "93.184.216.34 169.254.169.254")), Set::of);
        EgressDecision privateName = policy(false, "db.example.com:5432").decide("db.example.com", 5432,
                names(Map.of("db.example.com", "10.0.0.5")), Set::of);

        assertThat(rebinding.allowed()).isFalse();
        assertThat(rebinding.reason()).contains("169.254.169.254 is a link-local address").contains("never reachable");
        assertThat(privateName.allowed()).isFalse();
        assertThat(privateName.reason()).contains("10.0.0.5 is a private address")
                .contains("logomesh.egress.allow-private is off");
    }

    @Test
    void shouldUnlockPrivateAndLoopbackOnlyForAnExactPatternWithAllowPrivate() {
        EgressResolver local = names(Map.of("localhost", "127.0.0.1", "a.corp.example", "10.0.0.7"));

        assertThat(policy(true, "localhost:8080").decide("localhost", 8080, local, Set::of).allowed()).isTrue();
        assertThat(policy(true, "127.0.0.1:8080").decide("127.0.0.1", 8080, local, Set::of).allowed()).isTrue();
        assertThat(policy(false, "localhost:8080").decide("localhost", 8080, local, Set::of).allowed()).isFalse();
        EgressDecision wild = policy(true, "*.corp.example:80").decide("a.corp.example", 80, local, Set::of);
        assertThat(wild.allowed()).isFalse();
        assertThat(wild.reason()).contains("a wildcard pattern never reaches it");
    }

    @Test
    void shouldRefuseMetadataEvenWhenAPatternNamesItAndPrivateIsAllowed() {
        EgressDecision d = policy(true, "169.254.169.254:80").decide("169.254.169.254", 80, names(Map.of()), Set::of);

        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("never reachable");
        assertThat(resolved).as("a literal is never resolved").isEmpty();
    }

    @Test
    void shouldRefuseTheHostsOwnAddressUnlessUnlocked() throws Exception {
        InetAddress own = InetAddress.getByName("93.184.216.34");
        EgressResolver r = names(Map.of("me.example.com", "93.184.216.34"));

        assertThat(policy(false, "me.example.com:8080").decide("me.example.com", 8080, r, () -> Set.of(own)).reason())
                .contains("one of the host's own addresses");
    }

    @Test
    void shouldSayWhenAListedNameDoesNotResolve() {
        EgressDecision d = policy(false, "gone.example.com:443").decide("gone.example.com", 443, names(Map.of()),
                Set::of);

        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("the name gone.example.com does not resolve");
    }
}
