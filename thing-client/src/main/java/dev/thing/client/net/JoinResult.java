package dev.thing.client.net;

/** How the handshake ended. */
public record JoinResult(Outcome outcome, String text) {
    public enum Outcome {
        /** OKAY: we are a member (ADMIN if we created the lobby). */
        JOINED,
        /** {@code <username> TAKEN}: the server closes the connection. */
        TAKEN,
        /** An ERROR line (e.g. LIMIT). */
        ERROR,
        /** The connection closed first (refused, approval timeout, server gone). */
        CLOSED
    }

    public boolean joined() {
        return outcome == Outcome.JOINED;
    }
}
