package dev.thing.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The addresses friends on the local network should use, printed at start when the server listens on all
 * interfaces: each non-loopback address of an interface that is up, IPv4 first, link-local IPv6 left out (it
 * needs a zone a person would not type).
 */
public final class LanAddresses {
    private LanAddresses() {
    }

    /** This machine's usable addresses; empty when there are none (or the interfaces cannot be read). */
    public static List<InetAddress> discover() {
        List<InetAddress> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    found.addAll(Collections.list(nic.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return usable(found);
    }

    /** The addresses worth telling people: no loopback, wildcard or link-local IPv6; IPv4 first; no repeats. */
    static List<InetAddress> usable(List<InetAddress> addresses) {
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : addresses) {
            boolean linkLocal6 = a instanceof Inet6Address && a.isLinkLocalAddress();
            if (!a.isLoopbackAddress() && !a.isAnyLocalAddress() && !linkLocal6 && !out.contains(a)) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
        return out;
    }

    /**
     * The lines to print: for each address, the telnet command and (when the page is on) the page's address.
     * {@code httpPort} 0 means no web page.
     */
    public static List<String> lines(List<InetAddress> addresses, int port, int httpPort) {
        List<InetAddress> use = usable(addresses);
        if (use.isEmpty()) {
            return List.of("no network address besides localhost: only this machine can connect");
        }
        List<String> out = new ArrayList<>();
        for (InetAddress a : use) {
            String host = host(a);
            String url = a instanceof Inet6Address ? "[" + host + "]" : host;
            out.add("friends on your network: telnet " + host + " " + port
                    + (httpPort > 0 ? " or http://" + url + ":" + httpPort + "/" : "")
                    + " (thing-client --host " + host + ")");
        }
        return out;
    }

    private static String host(InetAddress a) {
        String h = a.getHostAddress();
        int zone = h.indexOf('%');
        return compressed(zone < 0 ? h : h.substring(0, zone));
    }

    /**
     * An IPv6 literal as people write it (RFC 5952): the longest run of two or more zero groups, the first such
     * if two are as long, as {@code ::} ({@code fd00::5}, not Java's {@code fd00:0:0:0:0:0:0:5}). IPv4 as it is.
     */
    static String compressed(String literal) {
        if (!literal.contains(":")) {
            return literal;
        }
        String[] groups = literal.split(":", -1);
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        if (bestStart < 0) {
            return literal;
        }
        String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return left + "::" + right;
    }
}
