/**
 * The connection's protocol, transport-neutral: {@link dev.thing.server.session.SessionCore} (the state machine,
 * fed frames, every transition in one method), {@link dev.thing.server.session.Outbox} (output: held lines,
 * paced transfers and long replies, capabilities, the unsent bound), {@link dev.thing.server.session.Sessions}
 * (the door through which transports open sessions and the server pings and stops them), and the per-connection
 * rate limit and PING bookkeeping. A transport implements {@link dev.thing.server.session.Wire} and nothing else.
 */
package dev.thing.server.session;
