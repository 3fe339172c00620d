package dev.thing.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.time.ManualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Per-address limits on their own: keys, counting, the one-minute window, loopback, memory. */
class AddressLimitsTest {
    final ManualClock clock = new ManualClock(1_700_000_000_000_000L);

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ipv4IsCountedByAddressAndIpv6ByItsSlash64() {
        assertThat(AddressLimits.key(ip("192.0.2.7"))).isEqualTo("192.0.2.7");
        assertThat(AddressLimits.key(ip("2001:db8:1:2:aaaa::1"))).isEqualTo("2001:db8:1:2::/64");
        assertThat(AddressLimits.key(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")))
                .isEqualTo(AddressLimits.key(ip("2001:db8:1:2::9")));
        assertThat(AddressLimits.key(ip("2001:db8:1:3::1"))).isNotEqualTo(AddressLimits.key(ip("2001:db8:1:2::1")));
        // An IPv4-mapped IPv6 address is the IPv4 address.
        assertThat(AddressLimits.key(ip("::ffff:192.0.2.7"))).isEqualTo("192.0.2.7");
    }

    @Test
    void connectionsPastTheLimitAreRefusedWithTheLimitAndFreedOnDisconnect() {
        AddressLimits limits = new AddressLimits(2, 30, false, clock);
        InetAddress a = ip("192.0.2.7");

        assertThat(limits.connected(a)).isEmpty();
        assertThat(limits.connected(a)).isEmpty();
        assertThat(limits.connected(a)).hasValueSatisfying(why ->
                assertThat(why).contains("too many connections from your address").contains("2 at once"));
        // Another address is not affected.
        assertThat(limits.connected(ip("192.0.2.8"))).isEmpty();

        limits.disconnected(a); // the refused one
        limits.disconnected(a);
        assertThat(limits.connected(a)).isEmpty();
    }

    @Test
    void twoAddressesOfOneIpv6Slash64ShareTheLimit() {
        AddressLimits limits = new AddressLimits(1, 30, false, clock);

        assertThat(limits.connected(ip("2001:db8:1:2::1"))).isEmpty();
        assertThat(limits.connected(ip("2001:db8:1:2::2"))).isPresent();
        assertThat(limits.connected(ip("2001:db8:1:3::1"))).isEmpty();
    }

    @Test
    void loopbackIsExemptUnlessLimitLoopback() {
        AddressLimits exempt = new AddressLimits(1, 1, false, clock);
        AddressLimits limited = new AddressLimits(1, 1, true, clock);
        for (String lo : new String[] {"127.0.0.1", "127.9.9.9", "::1"}) {
            for (int i = 0; i < 5; i++) {
                assertThat(exempt.connected(ip(lo))).isEmpty();
                assertThat(exempt.joinAttempt(ip(lo))).isEmpty();
            }
            assertThat(limited.connected(ip(lo))).isEmpty();
        }
        assertThat(exempt.tracked()).isZero();
        assertThat(limited.connected(ip("127.0.0.1"))).isPresent();
        // ::1 is its own /64, apart from 127.0.0.1.
        assertThat(limited.connected(ip("::1"))).isPresent();
    }

    @Test
    void anAddressTheTransportCannotTellIsNotLimited() {
        AddressLimits limits = new AddressLimits(1, 1, true, clock);

        assertThat(limits.connected(null)).isEmpty();
        assertThat(limits.connected(null)).isEmpty();
        assertThat(limits.joinAttempt(null)).isEmpty();
        assertThat(limits.joinAttempt(null)).isEmpty();
    }

    @Test
    void joinLinesPastTheLimitInOneMinuteAreRefusedUntilTheMinuteIsOver() {
        AddressLimits limits = new AddressLimits(16, 3, false, clock);
        InetAddress a = ip("192.0.2.7");

        assertThat(limits.joinAttempt(a)).isEmpty();
        clock.advanceMillis(20_000);
        assertThat(limits.joinAttempt(a)).isEmpty();
        assertThat(limits.joinAttempt(a)).isEmpty();
        assertThat(limits.joinAttempt(a)).hasValueSatisfying(why ->
                assertThat(why).contains("too many join attempts from your address").contains("3 a minute"));
        assertThat(limits.joinAttempt(ip("192.0.2.8"))).isEmpty();

        // A minute after the first attempt only that one has left the window, and the refused one counts: full.
        clock.advanceMillis(40_000);
        assertThat(limits.joinAttempt(a)).isPresent();
        // A quiet minute empties it.
        clock.advanceMillis(60_000);
        assertThat(limits.joinAttempt(a)).isEmpty();
        assertThat(limits.joinAttempt(a)).isEmpty();
        assertThat(limits.joinAttempt(a)).isEmpty();
        assertThat(limits.joinAttempt(a)).isPresent();
    }

    @Test
    void addressesWithNoConnectionAndNoRecentJoinAreForgotten() {
        AddressLimits limits = new AddressLimits(16, 30, false, clock);
        for (int i = 1; i <= 200; i++) {
            InetAddress a = ip("192.0.2." + i);
            limits.connected(a);
            limits.joinAttempt(a);
            limits.disconnected(a);
        }
        assertThat(limits.tracked()).isEqualTo(200); // their join lines are still in the window

        clock.advanceMillis(61_000);
        limits.connected(ip("198.51.100.1")); // a sweep is due

        assertThat(limits.tracked()).isEqualTo(1);
        limits.disconnected(ip("198.51.100.1"));
        assertThat(limits.tracked()).isZero();
    }
}
