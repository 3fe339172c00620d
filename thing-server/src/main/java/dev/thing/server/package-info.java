/**
 * The THING server: {@link dev.thing.server.ThingServer} wires the rooms (library, lobbies and parties, wanted
 * list) to the network, and {@link dev.thing.server.Jukebox} is where the rooms meet.
 *
 * <h2>Which thread owns what</h2>
 * MINA's I/O threads ({@code NioProcessor-*}) only decode and write bytes (and, on the TLS port, encrypt and
 * decrypt them; the TLS handshake's certificate work runs on MINA's own two-thread TLS task pool), and so do
 * Jetty's ({@code thing-http}) for a WebSocket. Every command, upload chunk and disconnect of one connection runs
 * on an ordered worker pool ({@code thing-worker} for TCP, {@code thing-ws-worker} for a WebSocket), one event at
 * a time per connection, inside that connection's {@link dev.thing.server.session.SessionCore} (its lock
 * serialises the connection's frames); commands the rate limit held back, and callbacks from other connections
 * (an ACCEPT, a
 * long reply drained), run on the fixed {@code thing-throttled} pool and take that same lock, never from inside a
 * lobby's lock, so a session lock and a lobby lock are never taken in both orders. The single
 * {@code thing-timers} thread runs timeouts, PINGs and song ends; it does no disk, SQLite or jaudiotagger work,
 * because the party's library lookups are memory reads of the index's mirror. Locks, and what they may be held
 * across: the {@link dev.thing.server.lobby.LobbyRegistry}'s lock guards only its map of lobbies and is never
 * held while anything is sent; a {@link dev.thing.server.lobby.Lobby}'s lock guards its members and party, and
 * is held while it queues lines for its members (queuing never waits for the network) but never across disk,
 * SQLite or tag work; the library index's lock guards its one SQLite connection for one statement or
 * transaction and nothing else; title reservations have their own monitor; a per-song lock serialises the writes
 * of one song (its tag rewrite included) and only another write of that song ever waits for it. Uploads are
 * written, checked, tagged, moved into place and fsynced on the uploader's worker thread under none of these
 * locks, but for the library's placing lock, taken shared from the move into place until the row is in: the
 * console's {@code rescan} (on the {@code thing-console} thread, like every console command) checks the folder's
 * new files under no lock and takes it exclusively only to index them, one insert at a time under the title
 * reservations' monitor, so that a file an upload is placing is never indexed twice. The wanted list is a monitor
 * around its own SQLite connection, used from workers (and the console) only.
 */
package dev.thing.server;
