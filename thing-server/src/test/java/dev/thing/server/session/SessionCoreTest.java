package dev.thing.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.thing.protocol.Message;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.Frame;
import dev.thing.server.Jukebox;
import dev.thing.server.ServerConfig;
import dev.thing.server.Services;
import dev.thing.server.library.Library;
import dev.thing.server.library.Upload;
import dev.thing.server.lobby.LobbyRegistry;
import dev.thing.server.lobby.LobbySettings;
import dev.thing.server.party.PartySettings;
import dev.thing.server.party.WantedList;
import dev.thing.server.time.ManualClock;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session core over a fake wire (no socket, no MINA): the state gate, the handshake, PINGs, the rate limit. */
class SessionCoreTest {
    static final AtomicLong IDS = new AtomicLong();

    @TempDir
    Path dir;

    ManualClock clock = new ManualClock(1_700_000_000_000_000L);
    Library library = mock(Library.class);
    WantedList wanted;
    LobbyRegistry registry;
    Sessions sessions;
    ServerConfig config;

    /** One mocked connection: what it was written, in wire form. */
    final class Client {
        final Wire session = mock(Wire.class);
        final SessionCore core;
        final List<Object> written = new ArrayList<>();
        final Map<Object, Object> attributes = new HashMap<>();

        Client() {
            this(null);
        }

        /** A connection from {@code address} (null: one the transport cannot tell, as the mocks of other tests). */
        Client(java.net.InetAddress address) {
            long id = IDS.incrementAndGet();
            when(session.remote()).thenReturn("/127.0.0.1:" + (40_000 + id));
            when(session.address()).thenReturn(address);
            when(session.isClosing()).thenReturn(false);
            when(session.queuedBytes()).thenReturn(0L);
            org.mockito.Mockito.doAnswer(inv -> {
                written.add(inv.getArgument(0));
                return null;
            }).when(session).write(any());
            core = sessions.open(session);
        }

        Client say(String line) {
            core.onFrame(new Frame.Line(line));
            return this;
        }

        List<String> lines() {
            // A broadcast reaches the wire already encoded, shared with the other members.
            return written.stream().map(m -> m instanceof dev.thing.protocol.codec.EncodedLine e ? e.line()
                    : MessageWriter.line((Message) m)).toList();
        }

        String last() {
            List<String> l = lines();
            return l.get(l.size() - 1);
        }

        void clear() {
            written.clear();
        }

        /** MINA reports everything written so far as sent. */
        void flushed() {
            for (Object m : new ArrayList<>(written)) {
                core.onSent(m);
            }
        }
    }

    @BeforeEach
    void setUp() {
        config = ServerConfig.defaults();
        wire(config);
    }

    void wire(ServerConfig c) {
        config = c;
        if (wanted == null) {
            wanted = WantedList.open(dir.resolve("wanted.db"), 100);
        }
        Jukebox jukebox = new Jukebox(library, wanted);
        registry = new LobbyRegistry(new LobbySettings(c.maxLobbies(), c.maxPending(), c.approvalTimeout(),
                PartySettings.DEFAULTS, 250, 3000), jukebox, clock, clock, new SplittableRandom(1));
        jukebox.lobbies(registry);
        registry.listener(jukebox);
        sessions = new Sessions(new Services(c, registry, library, wanted, clock, clock), jukebox, Runnable::run);
    }

    @AfterEach
    void tearDown() {
        wanted.close();
    }

    static java.net.InetAddress ip(String literal) {
        try {
            return java.net.InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aConnectionPastTheLimitPerAddressIsToldWhyAndClosedUntilOneLeaves() {
        ServerConfig.Builder b = ServerConfig.defaults().toBuilder();
        b.maxConnectionsPerAddress = 2;
        wire(b.build());
        Client first = new Client(ip("192.0.2.1"));
        new Client(ip("192.0.2.1"));

        Client third = new Client(ip("192.0.2.1"));
        Client elsewhere = new Client(ip("192.0.2.2"));

        assertThat(third.lines()).containsExactly(
                "NOTIFY too many connections from your address (2 at once is the limit); closing");
        verify(third.session).closeOnFlush();
        assertThat(third.core.state()).isEqualTo(SessionCore.State.CLOSING);
        assertThat(elsewhere.lines()).containsExactly("NOTIFY " + SessionCore.GREETING);

        third.core.onClosed();
        first.core.onClosed();
        Client again = new Client(ip("192.0.2.1"));
        assertThat(again.lines()).containsExactly("NOTIFY " + SessionCore.GREETING);
    }

    @Test
    void loopbackConnectionsAreNotLimitedPerAddressUnlessLimitLoopback() {
        ServerConfig.Builder b = ServerConfig.defaults().toBuilder();
        b.maxConnectionsPerAddress = 1;
        wire(b.build());
        new Client(ip("127.0.0.1"));
        assertThat(new Client(ip("127.0.0.1")).lines()).containsExactly("NOTIFY " + SessionCore.GREETING);

        b.limitLoopback = true;
        wire(b.build());
        new Client(ip("127.0.0.1"));
        assertThat(new Client(ip("127.0.0.1")).last()).startsWith("NOTIFY too many connections");
    }

    @Test
    void joinLinesPastTheLimitPerMinuteCloseTheConnectionWithANotify() {
        ServerConfig.Builder b = ServerConfig.defaults().toBuilder();
        b.maxJoinsPerMinute = 2;
        wire(b.build());
        Client alice = new Client(ip("192.0.2.1"));
        alice.say("party alice");
        Client bob = new Client(ip("192.0.2.1"));
        bob.say("party alice"); // taken: an attempt all the same
        Client carol = new Client(ip("192.0.2.1"));
        carol.clear();

        carol.say("party carol");

        assertThat(carol.lines()).containsExactly(
                "NOTIFY too many join attempts from your address (2 a minute is the limit); try again in a minute");
        verify(carol.session).closeOnFlush();
        assertThat(registry.lobby("party").orElseThrow().memberCount()).isEqualTo(1);

        clock.advanceMillis(60_000);
        Client later = new Client(ip("192.0.2.1"));
        later.clear();
        later.say("other dave");
        assertThat(later.lines()).containsExactly("OKAY you created other and are its ADMIN");
    }

    @Test
    void aNewConnectionIsGreeted() {
        Client c = new Client();

        assertThat(c.lines()).containsExactly("NOTIFY " + SessionCore.GREETING);
    }

    @Test
    void beforeJoiningLobbiesWorksAndTheJoinLineCreatesALobby() {
        Client c = new Client();
        c.clear();

        c.say("LOBBIES").say("party alice");

        assertThat(c.lines()).containsExactly("OKAY there are no lobbies yet", "OKAY you created party and are its ADMIN");
        Client d = new Client();
        d.clear();
        d.say("lobbies");
        assertThat(d.lines()).containsExactly("LOBBY party 1 0", "OKAY");
    }

    @Test
    void aPendingJoinerMayOnlyUseHelpAndQuit() {
        new Client().say("party alice");
        Client bob = new Client().say("party bob");
        bob.clear();

        bob.say("LOBBIES");
        assertThat(bob.last()).startsWith("ERROR PENDING ");

        bob.say("HELP");
        assertThat(bob.last()).isEqualTo("OKAY");
        assertThat(bob.lines()).anySatisfy(l -> assertThat(l).startsWith("HELP QUIT"));
    }

    @Test
    void aCommandAboveTheCallersRoleIsNotAllowedAndChangesNothing() {
        Client alice = new Client().say("party alice");
        Client bob = new Client().say("party bob");
        alice.say("ACCEPT bob");
        bob.clear();
        alice.clear();

        bob.say("PROMOTE bob");

        assertThat(bob.lines()).containsExactly("ERROR NOT_ALLOWED PROMOTE is for the admin; you are a user");
        assertThat(alice.lines()).isEmpty();
    }

    @Test
    void aMalformedCommandAboveTheCallersRoleIsStillNotAllowed() {
        Client alice = new Client().say("party alice");
        Client bob = new Client().say("party bob");
        alice.say("ACCEPT bob");
        bob.clear();

        bob.say("PLAY");
        bob.say("PROMOTE");

        assertThat(bob.lines()).containsExactly("ERROR NOT_ALLOWED PLAY is for the admin and moderators; you are a user",
                "ERROR NOT_ALLOWED PROMOTE is for the admin; you are a user");
    }

    @Test
    void abortFromAPendingJoinerIsPending() {
        new Client().say("party alice");
        Client bob = new Client().say("party bob");
        bob.clear();

        bob.say("ABORT");

        assertThat(bob.last()).startsWith("ERROR PENDING ");
    }

    @Test
    void anUnknownVerbIsUnknownCommand() {
        Client alice = new Client().say("party alice");
        alice.clear();

        alice.say("DANCE");

        assertThat(alice.last()).startsWith("ERROR UNKNOWN_COMMAND ");
    }

    @Test
    void aTakenNameIsToldAndTheConnectionClosed() {
        new Client().say("party alice");
        Client other = new Client();
        other.clear();

        other.say("party ALICE");

        assertThat(other.lines()).containsExactly("ALICE TAKEN");
        verify(other.session).closeOnFlush();
    }

    @Test
    void quitAnswersOkayThenClosesAndTheLobbyHearsOfIt() {
        Client alice = new Client().say("party alice");
        Client bob = new Client().say("party bob");
        alice.say("ACCEPT bob");
        alice.clear();
        bob.clear();

        bob.say("QUIT");
        assertThat(bob.lines()).containsExactly("OKAY");
        verify(bob.session).closeOnFlush();
        bob.core.onClosed();

        assertThat(alice.lines()).singleElement().asString().startsWith("NOTIFY bob left party");
        assertThat(registry.lobby("party").orElseThrow().memberCount()).isEqualTo(1);
    }

    @Test
    void chunksCostNoTokensEvenBehindASendThatWaitsItsTurn() throws Exception {
        ServerConfig.Builder b = ServerConfig.defaults().toBuilder();
        b.rateBurst = 2;
        b.ratePerSecond = 4;
        wire(b.build());
        Upload upload = mock(Upload.class);
        when(library.beginUpload("Song", null, null, null)).thenReturn(upload);
        Client alice = new Client().say("party alice");
        alice.clear();

        alice.say("LOBBIES").say("SEND Song");
        for (int i = 0; i < 100; i++) {
            alice.core.onFrame(new Frame.ChunkBody(new Message.Chunk(new byte[1000])));
        }
        alice.say("ABORT");
        // The SEND waits 250 ms for its token, the ABORT 250 ms more; the 100 chunks cost nothing.
        clock.advanceMillis(250);
        verify(upload, times(100)).append(any(), eq(0), eq(1000));
        clock.advanceMillis(250);
        assertThat(alice.last()).startsWith("ERROR ABORTED ");
    }

    @Test
    void linesThatFollowQuitInTheSamePacketTakeNoEffect() {
        Client alice = new Client().say("party alice");
        alice.clear();

        alice.say("QUIT").say("AUTOPLAY ON");

        assertThat(alice.lines()).containsExactly("OKAY");
        boolean autoplay = registry.lobby("party").orElseThrow().peekParty(p -> p.autoplay());
        assertThat(autoplay).as("AUTOPLAY ON after QUIT took no effect").isFalse();
    }

    @Test
    void noJoinLineWithinTheHandshakeTimeoutCloses() {
        Client c = new Client();
        c.clear();

        clock.advanceMillis(config.handshakeTimeout().toMillis() - 1);
        verify(c.session, never()).closeOnFlush();
        clock.advanceMillis(1);

        assertThat(c.lines()).containsExactly("NOTIFY no join line within 60 s; closing");
        verify(c.session).closeOnFlush();
    }

    @Test
    void aJoinedClientIsNotClosedByTheHandshakeTimeout() {
        Client c = new Client().say("party alice");

        clock.advanceMillis(config.handshakeTimeout().toMillis() * 2);

        verify(c.session, never()).closeOnFlush();
    }

    @Test
    void fiveMalformedJoinLinesClose() {
        Client c = new Client();
        c.clear();

        for (int i = 0; i < SessionCore.MAX_MALFORMED_JOIN_LINES; i++) {
            c.say("no good at all");
        }

        assertThat(c.lines()).hasSize(SessionCore.MAX_MALFORMED_JOIN_LINES + 2)
                .last().isEqualTo("NOTIFY too many malformed join lines; closing");
        assertThat(c.lines().get(SessionCore.MAX_MALFORMED_JOIN_LINES - 1)).as("a warning before the last try")
                .startsWith("NOTIFY one more malformed join line");
        assertThat(c.lines().stream().filter(l -> l.startsWith("ERROR SYNTAX ")))
                .hasSize(SessionCore.MAX_MALFORMED_JOIN_LINES);
        verify(c.session).closeOnFlush();
    }

    @Test
    void anAcceptedMemberIsPingedAndItsAnswerBecomesItsRtt() {
        Client alice = new Client().say("CAP PING").say("party alice");
        alice.clear();

        clock.advanceMillis(0);
        assertThat(alice.lines()).containsExactly("PING 1");
        alice.flushed();
        clock.advanceMillis(30);
        alice.say("OKAY 1");
        alice.clear();

        alice.say("USERS");
        assertThat(alice.lines()).containsExactly("USER alice ADMIN 30.0", "OKAY");
    }

    @Test
    void anOkayToAPingIsNotAnsweredAndAPlainOkayAnswersTheOldestWrittenPing() {
        Client alice = new Client().say("CAP PING").say("party alice");
        clock.advanceMillis(0);
        alice.flushed(); // PING 1 reaches the socket at 0 ms
        clock.advanceMillis(200); // PING 2 is queued but not yet reported written
        clock.advanceMillis(10);
        alice.clear();

        alice.say("OKAY");

        assertThat(alice.lines()).as("a PING answer gets no reply").isEmpty();
        alice.say("USERS");
        assertThat(alice.lines()).first().isEqualTo("USER alice ADMIN 210.0");
    }

    @Test
    void aPendingJoinerIsNotPinged() {
        new Client().say("party alice");
        Client bob = new Client().say("party bob");
        bob.clear();

        clock.advanceMillis(2_000);
        sessions.pingSlice(0, 1);

        assertThat(bob.written).noneMatch(ServerMessage.Ping.class::isInstance);
    }

    @Test
    void aClientPastItsBurstIsSlowedDownNotDropped() {
        ServerConfig.Builder b = ServerConfig.defaults().toBuilder();
        b.rateBurst = 2;
        b.ratePerSecond = 4;
        wire(b.build());
        Client c = new Client();
        c.clear();

        String none = "OKAY there are no lobbies yet"; // LOBBIES on a server with none
        c.say("LOBBIES").say("LOBBIES");
        verify(c.session, never()).suspendInput();
        c.say("LOBBIES");

        verify(c.session).suspendInput();
        assertThat(c.lines()).as("the third waits its turn")
                .containsExactly(none, none);
        c.say("LOBBIES");
        clock.advanceMillis(249);
        assertThat(c.lines()).containsExactly(none, none);
        verify(c.session, never()).resumeInput();
        clock.advanceMillis(1);
        assertThat(c.lines()).as("the third at 250 ms").containsExactly(none, none, none);
        verify(c.session, never()).resumeInput();
        clock.advanceMillis(250);
        assertThat(c.lines()).as("the fourth at 500 ms, none dropped").containsExactly(none, none, none, none);
        verify(c.session).resumeInput();
    }

    // ---- the state machine: every state by every kind of frame ----

    @Test
    void chunksHandedOnTogetherAreAppendedOneByOneInOrderAndTheUploadEndsAsUsual() throws Exception {
        Upload upload = mock(Upload.class);
        when(upload.title()).thenReturn("Song");
        when(library.beginUpload("Song", null, null, null)).thenReturn(upload);
        Client alice = new Client().say("party alice").say("SEND Song");
        byte[] first = new byte[1000];
        byte[] second = new byte[1000];
        byte[] last = new byte[7];
        first[0] = 1;
        second[0] = 2;
        last[0] = 3;

        alice.core.onFrame(new Frame.ChunkBodies(List.of(new Message.Chunk(first), new Message.Chunk(second),
                new Message.Chunk(last))));

        org.mockito.InOrder order = org.mockito.Mockito.inOrder(upload);
        order.verify(upload).append(first, 0, 1000);
        order.verify(upload).append(second, 0, 1000);
        order.verify(upload).append(last, 0, 7);
        assertThat(alice.core.state()).isEqualTo(SessionCore.State.RECEIVING);
        alice.say("ABORT");
        assertThat(alice.last()).startsWith("ERROR ABORTED ");
    }

    static final Frame LINE = new Frame.Line("LOBBIES");
    static final Frame CHUNK = new Frame.ChunkBody(new Message.Chunk(new byte[10]));
    static final Frame BAD_LINE = new Frame.Malformed(dev.thing.protocol.ErrorCode.SYNTAX, "line is not valid UTF-8",
            false);
    static final Frame BAD_CHUNK = new Frame.Malformed(dev.thing.protocol.ErrorCode.TOO_LARGE, "chunk too big", true);

    /** A connection driven into {@code state}. */
    Client in(SessionCore.State state) throws Exception {
        Upload upload = mock(Upload.class);
        when(upload.title()).thenReturn("Song");
        when(library.beginUpload(any(), any(), any(), any())).thenReturn(upload);
        return switch (state) {
            case GREETED -> new Client();
            case PENDING -> {
                new Client().say("party alice");
                yield new Client().say("party bob");
            }
            case MEMBER -> new Client().say("party alice");
            case RECEIVING -> new Client().say("party alice").say("SEND Song");
            case DISCARDING -> {
                new Client().say("party alice");
                Client bob = new Client().say("party bob");
                yield bob.say("SEND Song");
            }
            case CLOSING -> new Client().say("party alice").say("QUIT");
            case CLOSED -> {
                Client c = new Client().say("party alice");
                c.core.onClosed();
                yield c;
            }
        };
    }

    @Test
    void everyStateIsReachable() throws Exception {
        for (SessionCore.State state : SessionCore.State.values()) {
            tearDown();
            wanted = null;
            setUp();
            assertThat(in(state).core.state()).as("driven into %s", state).isEqualTo(state);
        }
    }

    @Test
    void everyStateByEveryFrameKind() throws Exception {
        record Case(SessionCore.State from, Frame frame, SessionCore.State to, String reply) {
        }
        List<Case> cases = List.of(
                new Case(SessionCore.State.GREETED, LINE, SessionCore.State.GREETED, "OKAY"),
                new Case(SessionCore.State.GREETED, CHUNK, SessionCore.State.GREETED, "ERROR NOT_ALLOWED CHUNK outside"),
                new Case(SessionCore.State.GREETED, BAD_LINE, SessionCore.State.GREETED, "ERROR SYNTAX "),
                new Case(SessionCore.State.GREETED, BAD_CHUNK, SessionCore.State.GREETED, "ERROR TOO_LARGE "),
                new Case(SessionCore.State.PENDING, LINE, SessionCore.State.PENDING, "ERROR PENDING "),
                new Case(SessionCore.State.PENDING, CHUNK, SessionCore.State.PENDING, "ERROR PENDING "),
                new Case(SessionCore.State.PENDING, BAD_LINE, SessionCore.State.PENDING, "ERROR SYNTAX "),
                new Case(SessionCore.State.PENDING, BAD_CHUNK, SessionCore.State.PENDING, "ERROR TOO_LARGE "),
                new Case(SessionCore.State.MEMBER, LINE, SessionCore.State.MEMBER, "OKAY"),
                new Case(SessionCore.State.MEMBER, CHUNK, SessionCore.State.MEMBER, "ERROR NOT_ALLOWED CHUNK outside"),
                new Case(SessionCore.State.MEMBER, BAD_LINE, SessionCore.State.MEMBER, "ERROR SYNTAX "),
                new Case(SessionCore.State.MEMBER, BAD_CHUNK, SessionCore.State.MEMBER, "ERROR TOO_LARGE "),
                new Case(SessionCore.State.RECEIVING, LINE, SessionCore.State.MEMBER, "OKAY"),
                new Case(SessionCore.State.RECEIVING, CHUNK, SessionCore.State.RECEIVING, null),
                new Case(SessionCore.State.RECEIVING, BAD_LINE, SessionCore.State.MEMBER, "ERROR SYNTAX "),
                new Case(SessionCore.State.RECEIVING, BAD_CHUNK, SessionCore.State.DISCARDING, "ERROR TOO_LARGE "),
                new Case(SessionCore.State.DISCARDING, LINE, SessionCore.State.PENDING, "ERROR PENDING "),
                new Case(SessionCore.State.DISCARDING, CHUNK, SessionCore.State.DISCARDING, null),
                new Case(SessionCore.State.DISCARDING, BAD_LINE, SessionCore.State.PENDING, "ERROR SYNTAX "),
                new Case(SessionCore.State.DISCARDING, BAD_CHUNK, SessionCore.State.DISCARDING, null),
                new Case(SessionCore.State.CLOSING, LINE, SessionCore.State.CLOSING, null),
                new Case(SessionCore.State.CLOSING, CHUNK, SessionCore.State.CLOSING, null),
                new Case(SessionCore.State.CLOSING, BAD_LINE, SessionCore.State.CLOSING, null),
                new Case(SessionCore.State.CLOSING, BAD_CHUNK, SessionCore.State.CLOSING, null),
                new Case(SessionCore.State.CLOSED, LINE, SessionCore.State.CLOSED, null),
                new Case(SessionCore.State.CLOSED, CHUNK, SessionCore.State.CLOSED, null),
                new Case(SessionCore.State.CLOSED, BAD_LINE, SessionCore.State.CLOSED, null),
                new Case(SessionCore.State.CLOSED, BAD_CHUNK, SessionCore.State.CLOSED, null));
        assertThat(cases).hasSize(SessionCore.State.values().length * 4);
        for (Case k : cases) {
            tearDown();
            wanted = null;
            setUp();
            Client c = in(k.from());
            c.clear();

            c.core.onFrame(k.frame());

            assertThat(c.core.state()).as("%s + %s", k.from(), k.frame()).isEqualTo(k.to());
            if (k.reply() == null) {
                assertThat(c.lines()).as("%s + %s answers nothing", k.from(), k.frame()).isEmpty();
            } else {
                assertThat(c.lines()).as("%s + %s", k.from(), k.frame()).last().asString().startsWith(k.reply());
            }
        }
    }

    @Test
    void theTransitionTableHasNoSelfLoopsAndClosedIsFinal() {
        for (SessionCore.State s : SessionCore.State.values()) {
            assertThat(s.next()).as("%s cannot stay in place through the table", s).doesNotContain(s);
        }
        assertThat(SessionCore.State.CLOSED.next()).isEmpty();
        assertThat(SessionCore.State.CLOSING.next()).containsExactly(SessionCore.State.CLOSED);
    }

    // ---- capabilities ----

    @Test
    void capListsWhatTheServerOffersBeforeAndAfterJoining() {
        Client c = new Client();
        c.clear();
        c.say("CAP");
        assertThat(c.lines()).containsExactly(
                "CAP EVENTS " + dev.thing.protocol.Capability.EVENTS.description(),
                "CAP SONGS " + dev.thing.protocol.Capability.SONGS.description(),
                "CAP PING " + dev.thing.protocol.Capability.PING.description(), "OKAY");
        c.say("party alice").clear();
        c.say("cap");
        assertThat(c.lines()).hasSize(4).last().isEqualTo("OKAY");
    }

    @Test
    void anUnknownCapabilityIsASyntaxErrorAndTurnsNothingOn() {
        Client c = new Client();
        c.clear();
        c.say("CAP EVENTS TELEPATHY");
        assertThat(c.lines()).singleElement().asString().startsWith("ERROR SYNTAX unknown capability TELEPATHY");
        assertThat(c.core.capabilities()).isEmpty();
        c.say("CAP events Songs");
        assertThat(c.core.capabilities()).containsExactlyInAnyOrder(dev.thing.protocol.Capability.EVENTS,
                dev.thing.protocol.Capability.SONGS);
    }

    @Test
    void eventLinesReachOnlyConnectionsThatAskedForThem() {
        Client program = new Client().say("CAP EVENTS").say("party alice");
        Client person = new Client().say("party bob");
        program.clear();
        person.clear();

        program.say("ACCEPT bob");

        assertThat(program.lines()).contains("EVENT DECIDED bob ACCEPTED", "EVENT MEMBER bob USER");
        assertThat(person.lines()).noneMatch(l -> l.startsWith("EVENT")).contains("OKAY alice let you into party as a USER");
    }

    @Test
    void aPersonInTelnetIsPingedAtMostOnceAMinuteAndNeverBurst() {
        Client person = new Client().say("party alice");
        person.clear();
        for (int second = 0; second < 120; second++) {
            clock.advanceMillis(1_000);
            sessions.pingSlice(0, 1);
        }
        long pings = person.written.stream().filter(ServerMessage.Ping.class::isInstance).count();
        assertThat(pings).as("two minutes of 1 s ping ticks").isBetween(1L, 2L);
    }

    @Test
    void aProgramThatAskedForPingsIsPingedEveryTick() {
        Client program = new Client().say("CAP PING").say("party alice");
        clock.advanceMillis(1_000); // the burst
        program.clear();
        for (int second = 0; second < 10; second++) {
            clock.advanceMillis(1_000);
            sessions.pingSlice(0, 1);
        }
        assertThat(program.written.stream().filter(ServerMessage.Ping.class::isInstance).count()).isEqualTo(10);
    }

    // ---- hardening ----

    @Test
    void chunksOutsideATransferAreRateLimitedAndCountAsMalformedJoinLines() {
        Client c = new Client();
        c.clear();
        for (int i = 0; i < 200; i++) {
            c.core.onFrame(CHUNK);
        }
        assertThat(c.lines().stream().filter(l -> l.startsWith("ERROR")).count())
                .as("the fifth closes the connection").isEqualTo(SessionCore.MAX_MALFORMED_JOIN_LINES);
        assertThat(c.core.state()).isEqualTo(SessionCore.State.CLOSING);

        ServerConfig.Builder b = ServerConfig.defaults().toBuilder();
        b.rateBurst = 5;
        b.ratePerSecond = 1;
        tearDown();
        wanted = null;
        wire(b.build());
        Client m = new Client().say("party alice");
        m.clear();
        for (int i = 0; i < 50; i++) {
            m.core.onFrame(CHUNK);
        }
        assertThat(m.lines()).as("a burst of four after the join line, then one a second").hasSize(4);
        verify(m.session).suspendInput();
        clock.advanceMillis(1_000);
        assertThat(m.lines()).hasSize(5);
    }

    @Test
    void aSendLineTooLongToReadOpensATransferThatIsDiscardedWithOneReply() {
        Client alice = new Client().say("party alice");
        alice.clear();

        alice.core.onFrame(new Frame.Malformed(dev.thing.protocol.ErrorCode.LINE_TOO_LONG,
                "line longer than 4096 bytes was discarded", false, "SEND \"????????"));
        for (int i = 0; i < 5; i++) {
            alice.core.onFrame(new Frame.ChunkBody(new Message.Chunk(new byte[1000])));
        }
        alice.say("OKAY").say("TIME next");

        assertThat(alice.lines()).hasSize(3);
        assertThat(alice.lines().get(0)).startsWith("ERROR LINE_TOO_LONG ").endsWith("the rest of this transfer is discarded");
        assertThat(alice.lines().get(1)).startsWith("TIME next ");
        assertThat(alice.lines().get(2)).isEqualTo("OKAY");
    }

    @Test
    void aLongReplyIsPacedAndNoFurtherCommandIsReadUntilItIsOut() throws Exception {
        List<dev.thing.server.library.Song> many = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            many.add(new dev.thing.server.library.Song(i, "Song number " + i + " " + "x".repeat(60), "Artist", "t1",
                    "t2", 1000, 1000, "ab".repeat(32), dir.resolve(i + ".mp3")));
        }
        when(library.list()).thenReturn(many);
        Client alice = new Client().say("party alice");
        alice.flushed();
        alice.clear();

        alice.say("LIST").say("LOBBIES");

        assertThat(alice.written).as("one window of lines").hasSize(Outbox.LINE_WINDOW);
        verify(alice.session).suspendInput();
        verify(alice.session, never()).closeOnFlush();
        // The transport reports each line written, one at a time, as a reading client would let it.
        for (int reported = 0; reported < alice.written.size(); reported++) {
            alice.core.onSent(alice.written.get(reported));
            assertThat(alice.written.size() - reported - 1).as("lines in flight")
                    .isLessThanOrEqualTo(Outbox.LINE_WINDOW + 1);
        }
        List<String> lines = alice.lines();
        assertThat(lines.stream().filter(l -> l.startsWith("SONG ")).count()).isEqualTo(3_000);
        int okay = lines.indexOf("OKAY");
        assertThat(okay).as("LIST's OKAY").isEqualTo(3_000);
        assertThat(lines.get(lines.size() - 1)).as("LOBBIES answered only after the LIST").isEqualTo("OKAY");
        assertThat(lines).hasSize(3_000 + 3);
        assertThat(lines.get(3_001)).startsWith("LOBBY party ");
        verify(alice.session).resumeInput();
    }

    @Test
    void aStalledUploadIsAbandonedAfterTheIdleTimeoutAndItsTitleFreed() throws Exception {
        Upload upload = mock(Upload.class);
        when(upload.title()).thenReturn("Song");
        when(library.beginUpload("Song", null, null, null)).thenReturn(upload);
        Client alice = new Client().say("party alice").say("SEND Song");
        alice.core.onFrame(CHUNK);
        alice.clear();

        clock.advanceMillis(59_000);
        assertThat(alice.lines()).isEmpty();
        clock.advanceMillis(1_000);

        assertThat(alice.lines()).containsExactly(
                "ERROR LIMIT nothing received for 60 s; the upload of Song was abandoned");
        verify(upload).abort();
        assertThat(alice.core.state()).isEqualTo(SessionCore.State.DISCARDING);
        alice.core.onFrame(CHUNK);
        alice.say("OKAY");
        assertThat(alice.lines()).as("a late rest of the transfer is thrown away silently").hasSize(1);
        assertThat(alice.core.state()).isEqualTo(SessionCore.State.MEMBER);
    }

    @Test
    void chunksKeepAnUploadAlive() throws Exception {
        Upload upload = mock(Upload.class);
        when(upload.title()).thenReturn("Song");
        when(library.beginUpload("Song", null, null, null)).thenReturn(upload);
        Client alice = new Client().say("party alice").say("SEND Song");
        for (int i = 0; i < 5; i++) {
            clock.advanceMillis(50_000);
            alice.core.onFrame(CHUNK);
        }
        assertThat(alice.core.state()).isEqualTo(SessionCore.State.RECEIVING);
        verify(upload, never()).abort();
    }
}
