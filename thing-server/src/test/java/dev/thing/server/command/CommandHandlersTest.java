package dev.thing.server.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.MetadataField;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.library.LibraryException;
import dev.thing.server.library.Song;
import dev.thing.server.library.SongField;
import dev.thing.server.lobby.OutgoingSong;
import dev.thing.server.party.Wish;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CommandHandlersTest extends CommandFixture {

    // ---- session ----

    @Test
    void lobbiesListsEachLobbyWithMembersAndPendingEvenBeforeJoining() throws Exception {
        assertThat(wire(run(null, new ClientMessage.Lobbies())))
                .containsExactly("LOBBY one 2 1", "LOBBY two 1 0", "OKAY");
    }

    @Test
    void timeAnswersTheServerClockWithAndWithoutAToken() throws Exception {
        clock.advanceMillis(1_500);

        assertThat(wire(run(bob, new ClientMessage.Time("t7")))).containsExactly("TIME t7 " + (T0 + 1_500_000), "OKAY");
        assertThat(wire(run(bob, new ClientMessage.Time(null)))).containsExactly("TIME " + (T0 + 1_500_000), "OKAY");
    }

    // ---- people ----

    @Test
    void usersShowsPendingRowsToTheAdminWithRttOrDash() throws Exception {
        alice.rtt().sample(12_500);

        assertThat(wire(run(alice, new ClientMessage.Users())))
                .containsExactly("USER alice ADMIN 12.5", "USER bob USER -", "USER carol PENDING -", "OKAY");
    }

    @Test
    void usersHidesPendingJoinersFromPlainUsers() throws Exception {
        assertThat(wire(run(bob, new ClientMessage.Users())))
                .containsExactly("USER alice ADMIN -", "USER bob USER -", "OKAY");
    }

    @Test
    void usersShowsPendingRowsToModerators() throws Exception {
        registry.promote(alice, "bob");
        bob.rtt().sample(3_000);
        bob.rtt().sample(40_000);

        assertThat(wire(run(bob, new ClientMessage.Users())))
                .as("the last sample, not the smoothed one")
                .containsExactly("USER alice ADMIN -", "USER bob MODERATOR 40.0", "USER carol PENDING -", "OKAY");
    }

    @Test
    void acceptLetsTheJoinerIn() throws Exception {
        assertThat(wire(run(alice, new ClientMessage.Accept("carol")))).containsExactly("OKAY");

        assertThat(carol.role()).isEqualTo(Role.USER);
        assertThat(carolPeer.lines().get(0)).isEqualTo("OKAY alice let you into one as a USER");
        assertThat(carolPeer.lines().get(1)).startsWith("NOTIFY carol joined one");
        assertThat(bobPeer.lines()).singleElement().asString().startsWith("NOTIFY carol joined one");
    }

    @Test
    void acceptOfAnUnknownNameIsNoSuchUser() {
        assertThat(errorCode(() -> run(alice, new ClientMessage.Accept("nobody")))).isEqualTo(ErrorCode.NO_SUCH_USER);
    }

    @Test
    void rejectTurnsTheJoinerAway() throws Exception {
        assertThat(wire(run(alice, new ClientMessage.Reject("carol")))).containsExactly("OKAY");

        assertThat(carolPeer.closes()).extracting(c -> ((ServerMessage.Notify) c.last()).text())
                .containsExactly("your request to join one was refused by alice");
        assertThat(errorCode(() -> run(alice, new ClientMessage.Reject("carol")))).isEqualTo(ErrorCode.NO_SUCH_USER);
    }

    @Test
    void promoteAndDemote() throws Exception {
        assertThat(wire(run(alice, new ClientMessage.Promote("bob")))).containsExactly("OKAY");
        assertThat(bob.role()).isEqualTo(Role.MODERATOR);
        assertThat(errorCode(() -> run(alice, new ClientMessage.Promote("bob")))).isEqualTo(ErrorCode.DUPLICATE);

        assertThat(wire(run(alice, new ClientMessage.Demote("bob")))).containsExactly("OKAY");
        assertThat(bob.role()).isEqualTo(Role.USER);
        assertThat(errorCode(() -> run(alice, new ClientMessage.Demote("bob")))).isEqualTo(ErrorCode.DUPLICATE);
        assertThat(errorCode(() -> run(alice, new ClientMessage.Demote("zoe")))).isEqualTo(ErrorCode.NO_SUCH_USER);
    }

    @Test
    void kickDisconnectsTheMember() throws Exception {
        assertThat(wire(run(alice, new ClientMessage.Kick("bob")))).containsExactly("OKAY");

        assertThat(bobPeer.closes()).hasSize(1);
        assertThat(alice.lobby().members()).containsExactly(alice);
        assertThat(errorCode(() -> run(alice, new ClientMessage.Kick("alice")))).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(errorCode(() -> run(alice, new ClientMessage.Kick("bob")))).isEqualTo(ErrorCode.NO_SUCH_USER);
    }

    @Test
    void aModeratorCannotKickTheAdmin() throws Exception {
        registry.promote(alice, "bob");

        assertThat(errorLine(() -> run(bob, new ClientMessage.Kick("alice"))))
                .startsWith("ERROR NOT_ALLOWED a moderator may only kick users");
        assertThat(alicePeer.closes()).isEmpty();
    }

    // ---- library ----

    @Test
    void listShowsEverySongOfTheLibrary() throws Exception {
        assertThat(wire(run(bob, new ClientMessage.ListSongs()))).containsExactly(
                "SONG 1 \"Song A\" \"Artist A\" rock first 10000 5000 " + "aa".repeat(32),
                "SONG 2 \"Song B\" \"Artist B\" jazz \"\" 20000 7000 " + "bb".repeat(32),
                "OKAY");
    }

    @Test
    void listOfAnEmptyLibraryIsAnOkayThatSaysSo() throws Exception {
        songs.clear();

        assertThat(wire(run(bob, new ClientMessage.ListSongs()))).containsExactly("OKAY the library is empty");
    }

    @Test
    void getAnswersWithATransferOfTheSongFile() throws Exception {
        byte[] audio = new byte[2_345];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) (i * 31);
        }
        Files.write(songA.file(), audio);

        Reply reply = run(bob, new ClientMessage.Get("#1"));

        assertThat(reply.last()).as("the transfer's OKAY is the final line").isNull();
        assertThat(reply.lines()).isEmpty();
        OutgoingSong song = reply.transfer();
        assertThat(song).isNotNull();
        assertThat(song.title()).isEqualTo("Song A");
        assertThat(song.artist()).isEqualTo("Artist A");
        assertThat(song.tag1()).isEqualTo("rock");
        assertThat(song.tag2()).isEqualTo("first");
        assertThat(song.sizeBytes()).isEqualTo(5_000);
        assertThat(song.reply()).isTrue();
        try (InputStream in = song.opener().open()) {
            assertThat(in.readAllBytes()).isEqualTo(audio);
        }
    }

    @Test
    void getOfAnUnknownSongIsNoSuchSong() {
        assertThat(errorCode(() -> run(bob, new ClientMessage.Get("Nope")))).isEqualTo(ErrorCode.NO_SUCH_SONG);
    }

    @Test
    void songSetAnswersOkayThenUpdatesEveryMemberOfEveryLobby() throws Exception {
        Song changed = new Song(1, "Song A", "Queen", "rock", "first", 10_000, 5_000, "aa".repeat(32), songA.file());
        when(library.setField("Song A", SongField.ARTIST, "Queen")).thenReturn(changed);

        Reply reply = run(alice, new ClientMessage.SongSet("Song A", MetadataField.ARTIST, "Queen"));

        assertThat(wire(reply)).containsExactly("OKAY");
        assertThat(alicePeer.sent()).as("nothing before the reply is queued").isEmpty();
        reply.afterwards().forEach(Runnable::run);
        String update = "UPDATE \"Song A\" Queen rock first";
        assertThat(alicePeer.lines()).containsExactly(update);
        assertThat(bobPeer.lines()).containsExactly(update);
        assertThat(zoePeer.lines()).containsExactly(update);
        assertThat(carolPeer.lines()).as("not yet accepted").isEmpty();
    }

    @Test
    void songSetMapsEachWireFieldToTheLibraryField() throws Exception {
        for (MetadataField f : MetadataField.values()) {
            when(library.setField(eq("#2"), eq(SongField.valueOf(f.name())), eq("v"))).thenReturn(songB);
            run(alice, new ClientMessage.SongSet("#2", f, "v"));
            verify(library).setField("#2", SongField.valueOf(f.name()), "v");
        }
    }

    @Test
    void songSetOfAnUnknownSongIsNoSuchSongAndSendsNoUpdate() throws Exception {
        when(library.setField("Nope", SongField.TAG1, "x"))
                .thenThrow(new LibraryException(LibraryException.Reason.NO_SUCH_SONG, "no song titled \"Nope\""));

        assertThat(errorLine(() -> run(alice, new ClientMessage.SongSet("Nope", MetadataField.TAG1, "x"))))
                .isEqualTo("ERROR NO_SUCH_SONG no song Nope");
        assertThat(bobPeer.sent()).isEmpty();
    }

    @Test
    void deleteAnswersOkayThenTakesTheSongOffEveryLobby() throws Exception {
        run(alice, new ClientMessage.Play("Song A", null));
        run(zoe, new ClientMessage.Request("Song B", null));
        run(zoe, new ClientMessage.Request("Song A", null));
        clearPeers();
        when(library.delete("Song A")).thenReturn(songA);

        Reply reply = run(alice, new ClientMessage.Delete("Song A"));

        assertThat(wire(reply)).containsExactly("OKAY");
        assertThat(bobPeer.sent()).isEmpty();
        songs.remove(1L);
        reply.afterwards().forEach(Runnable::run);
        String news = "NOTIFY song \"Song A\" was deleted from the library by alice";
        assertThat(bobPeer.lines()).containsExactly("STOP", news);
        assertThat(zoePeer.lines()).as("Song B plays on; Song A left its queue").containsExactly(news);
        assertThat(zoe.lobby().<List<dev.thing.server.party.QueueEntry>>peekParty(p -> p.queue())).isEmpty();
    }

    @Test
    void deleteOfAnUnknownSongIsNoSuchSong() throws Exception {
        when(library.delete("Nope"))
                .thenThrow(new LibraryException(LibraryException.Reason.NO_SUCH_SONG, "no song titled \"Nope\""));

        assertThat(errorCode(() -> run(alice, new ClientMessage.Delete("Nope")))).isEqualTo(ErrorCode.NO_SUCH_SONG);
    }

    // ---- party ----

    @Nested
    class Playback {
        @Test
        void playStartsTheSongForTheLobby() throws Exception {
            assertThat(wire(run(alice, new ClientMessage.Play("song a", 5_000L)))).containsExactly("OKAY");

            String play = "PLAY \"Song A\" " + (T0 + 250_000) + " 5000";
            // People are told who acted (RFC 5.6).
            String who = "NOTIFY alice played \"Song A\" from 0:05";
            assertThat(alicePeer.lines()).containsExactly(play, who);
            assertThat(bobPeer.lines()).containsExactly(play, who);
            assertThat(carolPeer.lines()).isEmpty();
            assertThat(zoePeer.lines()).isEmpty();
        }

        @Test
        void playOfAnUnknownSongIsNoSuchSong() {
            assertThat(errorCode(() -> run(alice, new ClientMessage.Play("Nope", null))))
                    .isEqualTo(ErrorCode.NO_SUCH_SONG);
            assertThat(bobPeer.sent()).isEmpty();
        }

        @Test
        void playBeyondTheSongsEndIsASyntaxError() {
            assertThat(errorCode(() -> run(alice, new ClientMessage.Play("Song A", 10_000L))))
                    .isEqualTo(ErrorCode.SYNTAX);
        }

        @Test
        void pauseResumeSeekAndStop() throws Exception {
            run(alice, new ClientMessage.Play("Song A", null));
            clock.advanceMillis(1_250);
            clearPeers();

            assertThat(wire(run(alice, new ClientMessage.Pause()))).containsExactly("OKAY");
            assertThat(wire(run(alice, new ClientMessage.Seek(4_000)))).containsExactly("OKAY");
            assertThat(wire(run(alice, new ClientMessage.Resume()))).containsExactly("OKAY");
            assertThat(wire(run(alice, new ClientMessage.Stop()))).containsExactly("OKAY");

            assertThat(bobPeer.lines()).containsExactly("PAUSE \"Song A\" 1000", "NOTIFY alice paused \"Song A\" at 0:01",
                    "PAUSE \"Song A\" 4000", "NOTIFY alice moved \"Song A\" to 0:04",
                    "PLAY \"Song A\" " + (T0 + 1_250_000 + 250_000) + " 4000", "NOTIFY alice resumed \"Song A\" at 0:04",
                    "STOP", "NOTIFY alice stopped \"Song A\"");
            // A second STOP changes nothing: nobody is told, and the OKAY says why.
            clearPeers();
            assertThat(wire(run(alice, new ClientMessage.Stop()))).containsExactly("OKAY nothing was playing");
            assertThat(bobPeer.lines()).isEmpty();
        }

        @Test
        void aProgramIsToldWhoActedByAnEventBeforeThePlaybackLineAndGetsNoNotify() throws Exception {
            bobPeer.events(true);
            run(alice, new ClientMessage.Play("Song A", null));
            clock.advanceMillis(1_250);
            clearPeers();

            run(alice, new ClientMessage.Pause());

            assertThat(bobPeer.events()).containsExactly(
                    new ServerMessage.ByEvent("alice", ServerMessage.PlaybackAction.PAUSE));
            assertThat(bobPeer.lines()).containsExactly("PAUSE \"Song A\" 1000");
            assertThat(alicePeer.lines()).containsExactly("PAUSE \"Song A\" 1000",
                    "NOTIFY alice paused \"Song A\" at 0:01");
        }

        @Test
        void aSeekPastTheEndSaysWhereTheEndIsInMinutesAndSeconds() throws Exception {
            run(alice, new ClientMessage.Play("Song A", null));

            assertThat(errorLine(() -> run(alice, new ClientMessage.Seek(99 * 60_000))))
                    .matches("ERROR SYNTAX position 99:00 is past the end of Song A, which is \\d+:\\d\\d long");
        }

        @Test
        void pauseOrSeekWhileStoppedAndResumeWhilePlayingAreNotAllowed() throws Exception {
            assertThat(errorCode(() -> run(alice, new ClientMessage.Pause()))).isEqualTo(ErrorCode.NOT_ALLOWED);
            assertThat(errorCode(() -> run(alice, new ClientMessage.Seek(1)))).isEqualTo(ErrorCode.NOT_ALLOWED);
            assertThat(errorCode(() -> run(alice, new ClientMessage.Resume()))).isEqualTo(ErrorCode.NOT_ALLOWED);
            assertThat(errorCode(() -> run(alice, new ClientMessage.Skip()))).isEqualTo(ErrorCode.NOT_ALLOWED);
            run(alice, new ClientMessage.Play("Song A", null));
            assertThat(errorCode(() -> run(alice, new ClientMessage.Resume()))).isEqualTo(ErrorCode.NOT_ALLOWED);
        }

        @Test
        void skipGoesToTheNextQueuedSong() throws Exception {
            run(bob, new ClientMessage.Request("Song A", null));
            run(bob, new ClientMessage.Request("Song B", null));
            clock.advanceMillis(2_000);
            clearPeers();

            assertThat(wire(run(alice, new ClientMessage.Skip()))).containsExactly("OKAY");

            assertThat(bobPeer.lines()).containsExactly("PLAY \"Song B\" " + (T0 + 2_250_000) + " 0",
                    "NOTIFY alice skipped \"Song A\", now playing \"Song B\"");
        }

        @Test
        void aModeratorMayControlPlayback() throws Exception {
            registry.promote(alice, "bob");

            assertThat(wire(run(bob, new ClientMessage.Play("Song B", null)))).containsExactly("OKAY");
        }
    }

    @Nested
    class Requests {
        @Test
        void aLibrarySongIsQueuedAndTheLobbyTold() throws Exception {
            run(alice, new ClientMessage.Play("Song B", null));
            clearPeers();

            assertThat(wire(run(bob, new ClientMessage.Request("Song A", null)))).containsExactly("OKAY");

            assertThat(alicePeer.lines()).containsExactly("NOTIFY bob queued \"Song A\"");
            assertThat(wire(run(bob, new ClientMessage.ShowQueue())))
                    .containsExactly("ENTRY 1 1 \"Song A\" bob", "OKAY");
        }

        @Test
        void aRequestWhileStoppedStartsPlaying() throws Exception {
            run(bob, new ClientMessage.Request("#2", null));

            assertThat(alicePeer.lines()).containsExactly("PLAY \"Song B\" " + (T0 + 250_000) + " 0",
                    "NOTIFY bob queued \"Song B\"");
            assertThat(wire(run(bob, new ClientMessage.ShowQueue()))).containsExactly("OKAY the queue is empty");
        }

        @Test
        void aSongAlreadyQueuedIsDuplicate() throws Exception {
            run(alice, new ClientMessage.Play("Song B", null));
            run(bob, new ClientMessage.Request("Song A", null));

            assertThat(errorCode(() -> run(alice, new ClientMessage.Request("song a", null))))
                    .isEqualTo(ErrorCode.DUPLICATE);
        }

        @Test
        void queueListsEntriesInPlayOrderWithWhoAsked() throws Exception {
            run(alice, new ClientMessage.Play("Song B", null));
            run(bob, new ClientMessage.Request("Song A", null));
            run(alice, new ClientMessage.Request("Song B", null));

            assertThat(wire(run(bob, new ClientMessage.ShowQueue())))
                    .containsExactly("ENTRY 1 1 \"Song A\" bob", "ENTRY 2 2 \"Song B\" alice", "OKAY");
        }

        @Test
        void aTitleNotInTheLibraryGoesOnTheWantedList() throws Exception {
            assertThat(wire(run(bob, new ClientMessage.Request("New Song", "Band")))).containsExactly("OKAY");

            assertThat(bobPeer.lines()).singleElement().asString().startsWith("NOTIFY \"New Song\" ")
                    .contains("not in the library").contains("wanted").contains("queued");
            assertThat(alicePeer.lines()).containsExactly("NOTIFY bob wants \"New Song\" by Band, which is not in the "
                    + "library");
            assertThat(zoePeer.lines()).isEmpty();
            assertThat(carolPeer.lines()).isEmpty();
            List<Wish> wishes = wanted.list();
            assertThat(wishes).hasSize(1);
            assertThat(wishes.get(0).title()).isEqualTo("New Song");
            assertThat(wishes.get(0).username()).isEqualTo("bob");
            assertThat(wishes.get(0).lobby()).isEqualTo("one");
            assertThat(wishes.get(0).requestedAtUs()).isEqualTo(T0);
        }

        @Test
        void aWantedTitleWithoutArtistIsToldWithoutBy() throws Exception {
            run(bob, new ClientMessage.Request("New Song", null));

            assertThat(alicePeer.lines()).containsExactly("NOTIFY bob wants \"New Song\", which is not in the library");
        }

        @Test
        void aSecondRequestOfATitleWantedInTheLobbyJoinsTheWish() throws Exception {
            run(bob, new ClientMessage.Request("New Song", null));
            clearPeers();

            assertThat(wire(run(alice, new ClientMessage.Request("new song", null)))).containsExactly("OKAY");
            assertThat(alicePeer.lines()).containsExactly(
                    "NOTIFY \"New Song\" is already wanted in one (asked for by bob); it will be queued when uploaded");
            assertThat(wanted.list()).singleElement().satisfies(w -> assertThat(w.username()).isEqualTo("bob"));
            // another lobby may want it too
            assertThat(wire(run(zoe, new ClientMessage.Request("New Song", null)))).containsExactly("OKAY");
        }

        @Test
        void theRequesterAskingAgainIsToldTheWishIsAlreadyTheirs() throws Exception {
            run(bob, new ClientMessage.Request("New Song", null));
            clearPeers();

            assertThat(errorLine(() -> run(bob, new ClientMessage.Request("new song", null))))
                    .isEqualTo("ERROR DUPLICATE you already asked for \"New Song\"; it will be queued in one when uploaded");
            assertThat(wanted.list()).hasSize(1);
            assertThat(alicePeer.lines()).isEmpty();
        }

        @Test
        void anUnknownSongNumberIsNoSuchSongAndNotWanted() throws Exception {
            assertThat(errorLine(() -> run(bob, new ClientMessage.Request("#99", null))))
                    .startsWith("ERROR NO_SUCH_SONG no song #99 in the library");
            assertThat(wanted.list()).isEmpty();
            assertThat(alicePeer.sent()).isEmpty();
        }

        @Test
        void wantedListsEveryWishForModerators() throws Exception {
            run(bob, new ClientMessage.Request("New Song", "Band"));
            run(zoe, new ClientMessage.Request("Other", null));

            assertThat(wire(run(alice, new ClientMessage.ShowWanted()))).containsExactly(
                    "WISH \"New Song\" Band bob one", "WISH Other \"\" zoe two", "OKAY");
        }
    }

    @Test
    void autoplayIsReportedAndSet() throws Exception {
        assertThat(wire(run(alice, new ClientMessage.Autoplay(null)))).containsExactly("AUTOPLAY OFF", "OKAY");

        assertThat(wire(run(alice, new ClientMessage.Autoplay(true)))).containsExactly("OKAY");

        assertThat(bobPeer.lines()).containsExactly("NOTIFY alice turned autoplay on");
        assertThat(wire(run(alice, new ClientMessage.Autoplay(null)))).containsExactly("AUTOPLAY ON", "OKAY");
        assertThat(wire(run(zoe, new ClientMessage.Autoplay(null))))
                .as("each lobby has its own switch").containsExactly("AUTOPLAY OFF", "OKAY");
        run(alice, new ClientMessage.Autoplay(false));
        assertThat(wire(run(alice, new ClientMessage.Autoplay(null)))).containsExactly("AUTOPLAY OFF", "OKAY");
    }
}
