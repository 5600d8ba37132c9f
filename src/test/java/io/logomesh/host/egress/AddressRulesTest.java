package io.logomesh.host.egress;

import io.logomesh.host.egress.AddressRules.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AddressRulesTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0,UNSPECIFIED", "::,UNSPECIFIED", "0.1.2.3,THIS_NETWORK",
            "127.0.0.1,LOOPBACK", "127.255.0.9,LOOPBACK", "::1,LOOPBACK",
            "169.254.169.254,LINK_LOCAL", "169.254.0.1,LINK_LOCAL", "fe80::1,LINK_LOCAL", "febf::1,LINK_LOCAL",
            "10.0.0.1,PRIVATE", "172.16.0.1,PRIVATE", "172.31.255.255,PRIVATE", "192.168.1.1,PRIVATE",
            "172.17.0.1,PRIVATE", "100.64.0.1,SHARED", "100.127.255.255,SHARED",
            "fc00::1,UNIQUE_LOCAL", "fd12:3456::1,UNIQUE_LOCAL",
            "224.0.0.1,MULTICAST", "239.255.255.250,MULTICAST", "ff02::1,MULTICAST",
            "240.0.0.1,RESERVED", "255.255.255.255,RESERVED",
            "::ffff:127.0.0.1,LOOPBACK", "::ffff:169.254.169.254,LINK_LOCAL", "::ffff:10.0.0.1,PRIVATE",
            "::169.254.169.254,LINK_LOCAL", "64:ff9b::a9fe:a9fe,LINK_LOCAL", "64:ff9b::7f00:1,LOOPBACK",
            "2002:a9fe:a9fe::1,LINK_LOCAL", "2002:0a00:0001::1,PRIVATE"})
    void shouldRefuseEverySpecialRangeIncludingIpv4HiddenInIpv6(String address, Refusal expected) throws Exception {
        assertThat(AddressRules.refusal(InetAddress.getByName(address), Set.of())).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
            "169.253.255.255", "2606:2800:220:1::1", "::ffff:93.184.216.34", "64:ff9b::5db8:d822",
            "192.169.0.1", "11.0.0.1"})
    void shouldLetOrdinaryPublicAddressesThrough(String address) throws Exception {
        assertThat(AddressRules.refusal(InetAddress.getByName(address), Set.of())).isEmpty();
    }

    @Test
    void shouldRefuseTheHostsOwnAddressesEvenWhenPublic() throws Exception {
        InetAddress own = InetAddress.getByName("93.184.216.34");

        assertThat(AddressRules.refusal(own, Set.of(own))).contains(Refusal.HOST_OWN);
    }

    @Test
    void shouldNeverUnlockLinkLocalMulticastOrUnspecified() {
        assertThat(Refusal.LINK_LOCAL.unlockable()).isFalse();
        assertThat(Refusal.MULTICAST.unlockable()).isFalse();
        assertThat(Refusal.UNSPECIFIED.unlockable()).isFalse();
        assertThat(Refusal.THIS_NETWORK.unlockable()).isFalse();
        assertThat(Refusal.LOOPBACK.unlockable()).isTrue();
        assertThat(Refusal.PRIVATE.unlockable()).isTrue();
    }
}
