package dev.thing.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

/** The client's own lines for server events. */
class ClientTextTest {
    @Test
    void aLateJoinerIsToldWhereTheSongIsNowNotWhereItStarted() {
        ServerMessage.PlayEvent play = new ServerMessage.PlayEvent("Long Sweep", 1_000_000_000L, 0);
        assertThat(ThingClient.playNotice(play, 1_000_000_000L + 49_300_000L))
                .isEqualTo("now playing Long Sweep from 0:49");
        assertThat(ThingClient.playNotice(play, 1_000_000_000L - 250_000L)).as("a start still ahead")
                .isEqualTo("now playing Long Sweep from 0:00");
        assertThat(ThingClient.playNotice(new ServerMessage.PlayEvent("Long Sweep", 5_000_000L, 83_000), 5_000_000L))
                .isEqualTo("now playing Long Sweep from 1:23");
    }

    @Test
    void aJoinRequestNamesTheClientCommandNotTheProtocolOne() {
        assertThat(ThingClient.joinRequest("party", "bob"))
                .isEqualTo("bob asks to join party -- type: accept bob  (or: reject bob)");
    }

    @Test
    void updatesReadAsNewSongsOrChanges() {
        ServerMessage.Update u = new ServerMessage.Update("Clicks", "Metronome", "Test", "");
        assertThat(ThingClient.updateText(u, false)).isEqualTo("new in the library: Clicks - Metronome [Test]");
        assertThat(ThingClient.updateText(new ServerMessage.Update("Clicks", "", "", ""), true))
                .isEqualTo("song updated: Clicks - unknown artist");
    }

    @Test
    void theServersClosingNoticeIsTheReasonShown() {
        assertThat(ThingClient.closingReason("connection closed by the server", "server full (2 connections); try later"))
                .isEqualTo("server full (2 connections); try later");
        // The greeting is not a reason; a reason the protocol knows is kept.
        assertThat(ThingClient.closingReason("connection closed by the server",
                "THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, QUIT"))
                .isEqualTo("connection closed by the server");
        assertThat(ThingClient.closingReason("you were kicked by alice", "you were kicked by alice"))
                .isEqualTo("you were kicked by alice");
    }

    @Test
    void connectionFailuresSayWhatToCheck() {
        assertThat(ThingClient.connectError("nosuchhost.invalid", 7717,
                new java.net.UnknownHostException("nosuchhost.invalid: Name or service not known")))
                .isEqualTo("unknown host nosuchhost.invalid (check --host)");
        assertThat(ThingClient.connectError("localhost", 7717,
                new java.io.IOException("cannot connect", new java.net.ConnectException("Connection refused"))))
                .isEqualTo("cannot connect to localhost:7717: connection refused (is the server running? check --host "
                        + "and --port)");
    }

    @Test
    void aPlayerThatStoppedBeforeTheSongsEndIsAFailure() {
        ServerMessage.PlayEvent play = new ServerMessage.PlayEvent("Long Sweep", 1_000_000_000L, 0);
        long tenSecondsIn = 1_000_000_000L + 10_000_000L;
        var stopped = new dev.thing.client.audio.PlaybackControl.PlayerStatus("Long Sweep", false, 2_000, 0, "silent");
        assertThat(ThingClient.playbackFailure(play, stopped, tenSecondsIn, 180_000))
                .isEqualTo("this client stopped playing it at 0:02 (see thing-client.log)");
        // Still playing, another song, or the song's natural end: no failure.
        var playing = new dev.thing.client.audio.PlaybackControl.PlayerStatus("Long Sweep", true, 10_000, 0, "silent");
        assertThat(ThingClient.playbackFailure(play, playing, tenSecondsIn, 180_000)).isNull();
        var other = new dev.thing.client.audio.PlaybackControl.PlayerStatus("Clicks", false, 2_000, 0, "silent");
        assertThat(ThingClient.playbackFailure(play, other, tenSecondsIn, 180_000)).isNull();
        var ended = new dev.thing.client.audio.PlaybackControl.PlayerStatus("Long Sweep", false, 179_900, 0, "silent");
        assertThat(ThingClient.playbackFailure(play, ended, 1_000_000_000L + 180_000_000L, 180_000)).isNull();
        assertThat(ThingClient.playbackFailure(null, stopped, tenSecondsIn, 180_000)).isNull();
    }
}
