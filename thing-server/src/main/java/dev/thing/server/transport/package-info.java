/**
 * Transport adapters, the only place that knows a network library: {@link dev.thing.server.transport.TcpTransport}
 * (Apache MINA: codec, ordered executor, an IoHandler that hands frames to the session core). No other package of
 * the server imports {@code org.apache.mina}.
 */
package dev.thing.server.transport;
