package dev.thing.server;

import dev.thing.protocol.ErrorCode;

/**
 * The one error model: every refusal or failure a room can raise (a command refused, a library, party or wanted
 * list failure) carries the wire code it is answered with. {@link dev.thing.server.dispatch.ErrorReplies} is the
 * one place that turns it into an {@code ERROR <CODE>} line; INTERNAL is logged with its cause and an incident
 * number, and never reaches a client as anything else.
 */
public interface Failure {
    /** The code the client is answered with. */
    ErrorCode errorCode();
}
