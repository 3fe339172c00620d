package dev.thing.server.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.library.Library;
import dev.thing.server.library.LibraryException;
import dev.thing.server.library.Song;
import org.junit.jupiter.api.Test;

/** SAY, VOTE SKIP, VOTESHARE, UNQUEUE, MOVE and RENAME through their handlers (issue #16). */
class TogetherCommandsTest extends CommandFixture {

    @Test
    void sayGoesToTheLobbyOnly() throws Exception {
        assertThat(wire(run(bob, new ClientMessage.Say("hi all")))).containsExactly("OKAY");
        assertThat(alicePeer.lines()).containsExactly("NOTIFY <bob> hi all");
        assertThat(bobPeer.lines()).containsExactly("NOTIFY <bob> hi all");
        assertThat(carolPeer.lines()).isEmpty();
        assertThat(zoePeer.lines()).isEmpty();
    }

    @Test
    void aSixthQuickLineIsLimit() throws Exception {
        for (int i = 0; i < 5; i++) {
            run(bob, new ClientMessage.Say("x" + i));
        }
        assertThat(errorLine(() -> run(bob, new ClientMessage.Say("x5"))))
                .startsWith("ERROR LIMIT you are chatting too fast");
    }

    @Test
    void voteSkipThenShareThenSkip() throws Exception {
        run(alice, new ClientMessage.Request("Song A", null));
        run(alice, new ClientMessage.Request("Song B", null));
        clearPeers();

        assertThat(wire(run(bob, new ClientMessage.VoteSkip()))).containsExactly("OKAY");
        assertThat(alicePeer.lines()).containsExactly(
                "NOTIFY bob votes to skip \"Song A\" (1 of 2 votes needed; VOTE SKIP to agree)");
        assertThat(alicePeer.events()).containsExactly(new ServerMessage.VotesEvent("Song A", 1, 2));
        assertThat(errorCode(() -> run(bob, new ClientMessage.VoteSkip()))).isEqualTo(ErrorCode.DUPLICATE);

        assertThat(wire(run(alice, new ClientMessage.VoteShare(null)))).containsExactly("VOTESHARE 50", "OKAY");
        clearPeers();
        run(alice, new ClientMessage.VoteShare(40));
        assertThat(bobPeer.lines()).containsSubsequence("NOTIFY alice set the skip vote share to 40%: a song is skipped when "
                + "more than 40% of the members present vote to skip it (now 1 of 2)",
                "NOTIFY the lobby voted to skip \"Song A\" (1 of 2 members)");
        assertThat(bobPeer.lines()).anyMatch(l -> l.startsWith("PLAY \"Song B\""));
        assertThat(wire(run(bob, new ClientMessage.VoteSkip()))).containsExactly("OKAY");
        assertThat(bobPeer.lines()).contains("STOP");
        assertThat(errorLine(() -> run(bob, new ClientMessage.VoteSkip())))
                .isEqualTo("ERROR NOT_ALLOWED nothing is playing, so there is nothing to skip");
    }

    @Test
    void unqueueAndMoveByPosition() throws Exception {
        Song songC = addSong(new Song(3, "Song C", "", "", "", 10_000, 5_000, "cc".repeat(32), dir.resolve("c.mp3")));
        run(alice, new ClientMessage.Request("Song A", null)); // plays
        run(alice, new ClientMessage.Request("Song B", null));
        run(bob, new ClientMessage.Request(songC.title(), null));
        assertThat(wire(run(bob, new ClientMessage.ShowQueue()))).containsExactly(
                "ENTRY 1 3 \"Song C\" bob", "ENTRY 2 2 \"Song B\" alice", "OKAY");

        assertThat(errorLine(() -> run(bob, new ClientMessage.Unqueue(2)))).isEqualTo("ERROR NOT_ALLOWED position 2 "
                + "(\"Song B\") was queued by alice; only they or the lobby's staff may take it off");
        assertThat(errorLine(() -> run(bob, new ClientMessage.Unqueue(3)))).isEqualTo("ERROR NO_SUCH_SONG the queue "
                + "has no position 3; it holds 2 songs (QUEUE lists them)");
        clearPeers();
        assertThat(wire(run(alice, new ClientMessage.Move(2, 1)))).containsExactly("OKAY");
        assertThat(bobPeer.lines()).containsExactly("NOTIFY alice moved \"Song B\" to position 1 of the queue");
        assertThat(wire(run(bob, new ClientMessage.Unqueue(2)))).containsExactly("OKAY");
        assertThat(wire(run(alice, new ClientMessage.Unqueue(1)))).containsExactly("OKAY");
        assertThat(wire(run(bob, new ClientMessage.ShowQueue()))).containsExactly("OKAY the queue is empty");
        assertThat(errorLine(() -> run(alice, new ClientMessage.Move(1, 1))))
                .isEqualTo("ERROR NO_SUCH_SONG the queue is empty");
    }

    @Test
    void renameTellsEveryoneAndTheQueueFollows() throws Exception {
        run(alice, new ClientMessage.Request("Song A", null));
        run(bob, new ClientMessage.Request("Song B", null));
        Song renamed = new Song(2, "Better B", "Artist B", "jazz", "", 20_000, 7_000, "bb".repeat(32),
                dir.resolve("b.mp3"));
        when(library.rename(eq("Song B"), eq("Better B"))).thenReturn(new Library.Renamed("Song B", renamed));
        clearPeers();

        Reply reply = run(alice, new ClientMessage.Rename("Song B", "Better B"));
        assertThat(wire(reply)).containsExactly("OKAY");
        reply.afterwards().forEach(Runnable::run);

        assertThat(zoePeer.lines()).containsExactly("NOTIFY alice renamed \"Song B\" to \"Better B\"",
                "UPDATE \"Better B\" \"Artist B\" jazz \"\"");
        assertThat(zoePeer.events()).containsExactly(new ServerMessage.RenamedEvent("Song B", "Better B"));
        assertThat(wire(run(bob, new ClientMessage.ShowQueue()))).containsExactly("ENTRY 1 2 \"Better B\" bob", "OKAY");
    }

    @Test
    void aRefusedRenameIsItsLibraryError() throws Exception {
        when(library.rename(anyString(), anyString())).thenThrow(new LibraryException(
                LibraryException.Reason.TITLE_EXISTS, "the library already has a song titled \"Song A\" (#1)"));
        assertThat(errorLine(() -> run(alice, new ClientMessage.Rename("Song B", "song a"))))
                .isEqualTo("ERROR TITLE_EXISTS the library already has a song titled \"Song A\" (#1)");
        assertThat(zoePeer.lines()).isEmpty();
    }

    @Test
    void aRenameToAWantedTitleFulfilsTheWish() throws Exception {
        run(bob, new ClientMessage.Request("Dream Song", null)); // not in the library: wanted
        Song renamed = new Song(2, "Dream Song", "Artist B", "jazz", "", 20_000, 7_000, "bb".repeat(32),
                dir.resolve("b.mp3"));
        when(library.rename(eq("Song B"), eq("Dream Song"))).thenAnswer(inv -> { // resolved first (SongRights)
            songs.put(2L, renamed);
            return new Library.Renamed("Song B", renamed);
        });
        clearPeers();

        run(alice, new ClientMessage.Rename("Song B", "Dream Song")).afterwards().forEach(Runnable::run);

        assertThat(bobPeer.lines()).contains("NOTIFY your request \"Dream Song\" is now in the library and queued in one");
        assertThat(bobPeer.lines()).anyMatch(l -> l.startsWith("PLAY \"Dream Song\""));
    }
}
