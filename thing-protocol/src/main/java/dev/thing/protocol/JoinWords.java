package dev.thing.protocol;

/**
 * The words staff are sent when someone asks to join ("bob asks to join party: ACCEPT bob or REJECT bob", RFC 3.7),
 * written once: the server sends them as a NOTIFY, and the terminal client, which shows the request from EVENT
 * WAITING with its own commands, knows that NOTIFY by them and does not show it again.
 */
public final class JoinWords {
    private JoinWords() {
    }

    /** What staff read when {@code joiner} asks to join {@code lobby}: who asks, and the two answers. */
    public static String asksToJoin(String joiner, String lobby) {
        return joiner + " asks to join " + lobby + ": ACCEPT " + joiner + " or REJECT " + joiner;
    }
}
