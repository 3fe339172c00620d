package dev.thing.server.transport;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which pages may open the WebSocket. A browser sends the {@code Origin} of the page that opens a WebSocket and
 * lets any page open one to any server, with the user's network position: without a check, a page on another site
 * could drive a THING session silently. So a handshake that carries an {@code Origin} is accepted only when that
 * origin is the server's own (its host and port are the {@code Host} the browser asked for) or one the
 * operator listed ({@code --http-origins}; {@code *} allows any). A handshake without an {@code Origin} comes from a
 * program, not from a page in a browser, and is accepted: it could as well use the TCP port.
 */
final class OriginPolicy {
    private final List<String> allowed;
    private final boolean any;

    OriginPolicy(List<String> allowed) {
        this.any = allowed.contains("*");
        this.allowed = allowed.stream().filter(a -> !a.equals("*")).map(OriginPolicy::normalise).toList();
    }

    /** Why the handshake is refused, or empty when it may go on. */
    Optional<String> refusal(String origin, String host) {
        if (origin == null || any) {
            return Optional.empty();
        }
        String o = normalise(origin);
        if (allowed.contains(o)) {
            return Optional.empty();
        }
        if (host != null && sameOrigin(o, host)) {
            return Optional.empty();
        }
        return Optional.of("origin " + origin + " may not open this server's WebSocket (only the server's own page"
                + (allowed.isEmpty() ? "" : " and " + String.join(", ", allowed)) + "; see --http-origins)");
    }

    /**
     * The origin's host and port as written (a browser omits the port when it is the scheme's default, as it does
     * in {@code Host}) against the {@code Host} header: the same comparison a proxy in front keeps intact.
     */
    private static boolean sameOrigin(String origin, String host) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        if (uri.getRawAuthority() == null || scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return false;
        }
        return uri.getRawAuthority().equalsIgnoreCase(host.strip());
    }

    /** Origins compare without case and without a trailing slash. */
    private static String normalise(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
