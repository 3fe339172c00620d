package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The server's limits, and clients that misbehave: none of it may hurt anyone else. */
class LimitsAndRobustnessTest extends ServerTestBase {

    @Test
    void theLobbyLimitRefusesANewLobbyButTheClientMayJoinAnExistingOne() {
        start(b -> b.maxLobbies = 2);
        TelnetClient alice = admin("one", "alice");
        admin("two", "bob");
        TelnetClient carol = connect("carol");
        assertThat(carol.command("three carol").last()).startsWith("ERROR LIMIT ");
        carol.send("one carol");
        carol.expectLine("NOTIFY waiting for approval to join one");
        alice.expectLine("NOTIFY carol asks to join one: ACCEPT carol or REJECT carol");
        assertThat(alice.command("LOBBIES").data()).containsExactly("LOBBY one 1 1", "LOBBY two 1 0");
    }

    @Test
    void thePendingLimitRefusesAJoinerWhoStaysUnjoinedAndMayGoElsewhere() {
        start(b -> b.maxPending = 1);
        TelnetClient alice = admin("one", "alice");
        pending(alice, "one", "bob");
        TelnetClient carol = connect("carol");
        assertThat(carol.command("one carol").last()).startsWith("ERROR LIMIT ");
        assertThat(carol.command("LOBBIES").data()).containsExactly("LOBBY one 1 1");
        carol.send("two carol");
        carol.expectJoinOkay();
    }

    @Test
    void aFullServerSaysSoAndCloses() {
        start(b -> b.maxConnections = 2);
        TelnetClient alice = admin("one", "alice");
        TelnetClient second = connect("second");
        TelnetClient third = new TelnetClient("third", server.address());
        third.expectLine("NOTIFY server full (2 connections); try later");
        third.assertClosedByServer();
        third.close();
        // The others are unaffected, and once someone leaves there is room again.
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
        second.send("QUIT");
        second.expectLine("OKAY");
        second.assertClosedByServer();
        eventually("the connections are counted down", () -> server.connectionCount() == 1);
        connect("fourth");
    }

    @Test
    void aLineTooLongIsRefusedAndTheNextLineWorks() {
        start();
        TelnetClient alice = admin("one", "alice");
        alice.send("TIME " + "x".repeat(5000));
        alice.expectLine("ERROR LINE_TOO_LONG line longer than 4096 bytes was discarded");
        alice.send("TIME after");
        alice.expectPrefix("TIME after ");
        alice.expectLine("OKAY");
    }

    @Test
    void aVeryLongLineOfManyMegabytesIsDiscardedToo() {
        start();
        TelnetClient alice = admin("one", "alice");
        byte[] huge = new byte[3 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) 'y');
        huge[huge.length - 1] = '\n';
        alice.sendBytes(huge);
        alice.expectLine("ERROR LINE_TOO_LONG line longer than 4096 bytes was discarded");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
    }

    @Test
    void invalidUtf8IsASyntaxErrorAndTheNextLineWorks() {
        start();
        TelnetClient alice = admin("one", "alice");
        alice.sendBytes(new byte[] {'T', 'I', 'M', 'E', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        alice.expectLine("ERROR SYNTAX line is not valid UTF-8");
        alice.sendBytes(new byte[] {(byte) 0xFF, (byte) 0xFE, '\r', '\n'});
        alice.expectLine("ERROR SYNTAX line is not valid UTF-8");
        alice.send("TIME ok");
        alice.expectPrefix("TIME ok ");
        alice.expectLine("OKAY");
    }

    @Test
    void commandsPastTheBurstAreSlowedDownNeverDropped() {
        start(b -> {
            b.rateBurst = 5;
            b.ratePerSecond = 50;
        });
        TelnetClient alice = admin("one", "alice");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            all.append("TIME t").append(i).append('\n');
        }
        long started = System.nanoTime();
        alice.sendBytes(all.toString().getBytes(StandardCharsets.UTF_8));
        long firstServerUs = 0;
        long lastServerUs = 0;
        for (int i = 0; i < 100; i++) {
            TelnetClient.Reply r = alice.expectReply();
            assertThat(r.data()).hasSize(1);
            assertThat(r.data().get(0)).startsWith("TIME t" + i + " ");
            assertThat(r.last()).isEqualTo("OKAY");
            long us = Long.parseLong(r.data().get(0).substring(r.data().get(0).lastIndexOf(' ') + 1));
            firstServerUs = i == 0 ? us : firstServerUs;
            lastServerUs = us;
        }
        // A lower bound only, so a slow machine cannot fail it: past the burst of 5 (plus the join's token),
        // 94 commands at 50 per second take at least 1.88 s of the server's own clock.
        assertThat(lastServerUs - firstServerUs).as("server time spent answering").isGreaterThanOrEqualTo(1_800_000);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(1_800_000_000L);
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedWhileOthersKeepWorking() {
        start(b -> {
            b.maxUnsentBytes = 64 * 1024;
            b.rateBurst = 1_000_000;
        });
        TelnetClient alice = admin("one", "alice");
        // A client with a tiny receive window that asks for a lot and never reads the answers.
        TelnetClient slow = connect("slow", 4096);
        slow.send("one slow");
        slow.expectLine("NOTIFY waiting for approval to join one");
        alice.expectLine("NOTIFY slow asks to join one: ACCEPT slow or REJECT slow");
        alice.send("ACCEPT slow");
        alice.expectLine("NOTIFY slow joined one");
        alice.expectLine("OKAY");
        slow.expectJoinOkay();
        ByteArrayOutputStream flood = new ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            flood.writeBytes("HELP\n".getBytes(StandardCharsets.US_ASCII));
        }
        try {
            slow.sendBytes(flood.toByteArray());
        } catch (UncheckedIOException e) {
            // The server may already have closed it: that is what is being tested.
        }
        // Meanwhile another member is served as usual, and then sees the slow one go.
        TelnetClient.Reply time = alice.command("TIME x");
        assertThat(time.data()).hasSize(1);
        if (!time.unsolicited().contains("NOTIFY slow left one")) {
            alice.expectLine("NOTIFY slow left one");
        }
        eventually("the slow client is gone", () -> server.connectionCount() == 1);
        slow.drainUntilClosed();
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
    }

    @Test
    void aClientVanishingInTheMiddleOfALineLeavesTheServerFine() throws IOException {
        start();
        TelnetClient alice = admin("one", "alice");
        TelnetClient bob = member(alice, "one", "bob");
        bob.sendBytes("USE".getBytes(StandardCharsets.US_ASCII));
        bob.close();
        alice.expectLine("NOTIFY bob left one");
        TelnetClient half = connect("half");
        half.sendBytes("one ha".getBytes(StandardCharsets.US_ASCII));
        half.close();
        eventually("both are gone", () -> server.connectionCount() == 1);
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
        TelnetClient carol = pending(alice, "one", "carol");
        assertThat(carol).isNotNull();
    }

    @Test
    void garbageBytesFromAMemberAreAnsweredWithErrorsAndTheConnectionStaysInStep() {
        start(b -> b.rateBurst = 10_000);
        TelnetClient alice = admin("one", "alice");
        byte[] garbage = new byte[20_000];
        new Random(42).nextBytes(garbage);
        alice.sendBytes(garbage);
        alice.send("");
        alice.send("TIME end");
        String line = alice.skipUntil(l -> l.startsWith("TIME end ") || !l.startsWith("ERROR "));
        assertThat(line).startsWith("TIME end ");
        alice.expectLine("OKAY");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
    }

    @Test
    void garbageBeforeJoiningEndsInAClose() {
        start();
        TelnetClient watcher = admin("one", "alice");
        TelnetClient junk = connect("junk");
        byte[] garbage = new byte[4000];
        new Random(7).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i += 97) {
            garbage[i] = '\n';
        }
        try {
            junk.sendBytes(garbage);
        } catch (UncheckedIOException e) {
            // closed already
        }
        junk.drainUntilClosed();
        assertThat(watcher.command("LOBBIES").data()).containsExactly("LOBBY one 1 0");
    }

    @Test
    void chunkFramesOutsideATransferAreRefusedAndSkipped() {
        start();
        TelnetClient alice = admin("one", "alice");
        alice.chunk(new byte[] {'Q', 'U', 'I', 'T', '\n'}, 0, 5);
        alice.expectPrefix("ERROR NOT_ALLOWED ");
        assertThat(alice.command("ABORT").last()).startsWith("ERROR NOT_ALLOWED ");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
        // A bare OKAY (a person typing it) gets no answer.
        alice.send("okay");
        assertThat(alice.command("LOBBIES").data()).containsExactly("LOBBY one 1 0");
        assertThat(alice.command("frobnicate").last()).startsWith("ERROR UNKNOWN_COMMAND ");
        assertThat(alice.command("users extra").last()).startsWith("ERROR SYNTAX ");
        assertThat(alice.command("TIME \"open").last()).startsWith("ERROR SYNTAX ");
    }

    @Test
    void theServerTellsEveryoneWhenItStops() {
        start();
        TelnetClient alice = admin("one", "alice");
        TelnetClient bob = member(alice, "one", "bob");
        TelnetClient unjoined = connect("unjoined");
        stopServer();
        for (TelnetClient c : List.of(alice, bob, unjoined)) {
            c.expectLine("NOTIFY server is shutting down");
            c.assertClosedByServer();
        }
    }

    @Test
    void anUploaderStillSendingWhenTheServerStopsReadsTheReasonAndAnEndNotAReset() throws Exception {
        // Closing a socket with unread input answers with a reset, and a reset can make the client's system throw
        // away what it had received but not yet read: an uploader lost "server is shutting down" to its own CHUNKs.
        // The server now shuts its output and reads on, dropping what comes, until the client closes (RFC 2.1).
        start();
        TelnetClient alice = admin("one", "alice");
        alice.send("SEND Endless");
        byte[] chunk = new byte[1000];
        new Random(7).nextBytes(chunk);
        java.util.concurrent.CountDownLatch underWay = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong chunks = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                // Paced, and well under the upload limit: it is still sending when the server stops.
                for (int i = 0; i < 30_000; i++) {
                    alice.chunk(chunk, 0, chunk.length);
                    if (chunks.incrementAndGet() == 500) {
                        underWay.countDown();
                    }
                    if (i % 16 == 0) {
                        Thread.sleep(1);
                    }
                }
            } catch (UncheckedIOException | InterruptedException e) {
                failed.set(e);
            } finally {
                underWay.countDown();
            }
        }, "endless-upload");
        writer.start();
        assertThat(underWay.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread stopper = new Thread(this::stopServer, "stopper");
        stopper.start();
        alice.skipUntilLine("NOTIFY server is shutting down");
        alice.assertEndOfStreamKeepingOpen();
        // The server still reads what the client sends after its own end: the client's writes do not fail.
        long atEnd = chunks.get();
        while (chunks.get() < atEnd + 100 && writer.isAlive()) {
            Thread.sleep(5);
        }
        assertThat(failed.get()).as("writes after the server's end of stream").isNull();
        assertThat(chunks.get()).isGreaterThanOrEqualTo(atEnd + 100);
        alice.close();
        writer.join(30_000);
        stopper.join(30_000);
        assertThat(writer.isAlive()).as("the upload ends with the connection").isFalse();
        assertThat(stopper.isAlive()).as("the server stopped").isFalse();
    }
}
