package dev.thing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LAN addresses printed at start, from injected interface addresses. */
class LanAddressesTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void eachUsableAddressGetsTheTelnetCommandAndThePage() throws Exception {
        List<String> lines = LanAddresses.lines(List.of(ip("127.0.0.1"), ip("fd00::5"), ip("192.168.1.20"),
                ip("fe80::1"), ip("::1"), ip("192.168.1.20")), 7717, 8080);
        assertThat(lines).containsExactly(
                "friends on your network: telnet 192.168.1.20 7717 or http://192.168.1.20:8080/"
                        + " (thing-client --host 192.168.1.20)",
                "friends on your network: telnet fd00::5 7717 or http://[fd00::5]:8080/"
                        + " (thing-client --host fd00::5)");
    }

    @Test
    void anIpv6AddressIsWrittenShortAsPeopleTypeIt() {
        assertThat(LanAddresses.compressed("fd00:0:0:0:0:0:0:5")).isEqualTo("fd00::5");
        assertThat(LanAddresses.compressed("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(LanAddresses.compressed("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(LanAddresses.compressed("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(LanAddresses.compressed("fd00:0:0:0:0:0:0:0")).isEqualTo("fd00::");
        assertThat(LanAddresses.compressed("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2:3:4:5:6");
        assertThat(LanAddresses.compressed("192.168.1.20")).isEqualTo("192.168.1.20");
    }

    @Test
    void withoutThePageOnlyTelnetIsNamed() throws Exception {
        assertThat(LanAddresses.lines(List.of(ip("10.0.0.7")), 7000, 0))
                .containsExactly("friends on your network: telnet 10.0.0.7 7000 (thing-client --host 10.0.0.7)");
    }

    @Test
    void onlyLoopbackSaysNobodyElseCanConnect() throws Exception {
        assertThat(LanAddresses.lines(List.of(ip("127.0.0.1"), ip("::1")), 7717, 8080))
                .containsExactly("no network address besides localhost: only this machine can connect");
    }

    @Test
    void discoveryNeverOffersLoopback() {
        assertThat(LanAddresses.discover()).noneMatch(InetAddress::isLoopbackAddress);
    }
}
