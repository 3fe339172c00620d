package dev.thing.server.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;

import dev.thing.protocol.ClientMessage;
import dev.thing.server.library.LibraryException;
import dev.thing.server.party.QueueEntry;
import org.junit.jupiter.api.Test;

/**
 * Issue 10.4: a library that fails (SQLite, disk) is ERROR INTERNAL to whoever asked, never NO_SUCH_SONG; the
 * party's queue keeps its entries; REQUEST of an existing song never files it as wanted.
 */
class StorageFailureTest extends CommandFixture {

    private void libraryFails() throws Exception {
        doThrow(new LibraryException(LibraryException.Reason.INTERNAL,
                "internal error reading the library: [SQLITE_IOERR] disk I/O error")).when(library).resolve(anyString());
    }

    private void libraryWorks() throws Exception {
        doAnswer(inv -> lookup(inv.getArgument(0))
                .orElseThrow(() -> new LibraryException(LibraryException.Reason.NO_SUCH_SONG,
                        "no song " + inv.getArgument(0)))).when(library).resolve(anyString());
    }

    private java.util.List<QueueEntry> queue() {
        return alice.lobby().<java.util.List<QueueEntry>>peekParty(p -> p.queue());
    }

    @Test
    void requestOfAnExistingSongIsInternalAndFilesNoWish() throws Exception {
        libraryFails();
        String error = errorLine(() -> run(bob, new ClientMessage.Request("Song A", null)));
        assertThat(error).startsWith("ERROR INTERNAL ");
        assertThat(wanted.list()).isEmpty();
        assertThat(bobPeer.lines()).noneMatch(l -> l.contains("not in the library"));
        assertThat(alicePeer.lines()).noneMatch(l -> l.contains("wants"));
        assertThat(queue()).isEmpty();
    }

    @Test
    void playGetSkipAreInternalNotNoSuchSong() throws Exception {
        libraryFails();
        assertThat(errorLine(() -> run(alice, new ClientMessage.Play("Song A", null)))).startsWith("ERROR INTERNAL ");
        doThrow(new LibraryException(LibraryException.Reason.INTERNAL, "the library is closed"))
                .when(library).resolve(anyString());
        assertThat(errorLine(() -> run(bob, new ClientMessage.Get("Song A")))).startsWith("ERROR INTERNAL ");
        assertThat(bobPeer.lines()).isEmpty();
    }

    @Test
    void aSongEndWhileTheLibraryFailsKeepsTheQueueAndPlaysOnOnceItRecovers() throws Exception {
        run(bob, new ClientMessage.Request("Song A", null)); // starts playing (10 s)
        run(bob, new ClientMessage.Request("Song B", null)); // queued
        assertThat(queue()).extracting(QueueEntry::title).containsExactly("Song B");
        clearPeers();

        libraryFails();
        clock.advanceMillis(10_250 + 1);
        assertThat(queue()).as("queue after a failed song end")
                .extracting(QueueEntry::title).containsExactly("Song B");
        assertThat(bobPeer.lines()).containsExactly(
                "NOTIFY the server's library failed; the next song starts as soon as it recovers");
        clock.advanceMillis(1_000);
        assertThat(bobPeer.lines()).hasSize(1); // told once, not at every retry
        assertThat(queue()).hasSize(1);

        libraryWorks();
        clock.advanceMillis(1_000);
        assertThat(queue()).isEmpty();
        assertThat(bobPeer.lines()).last().asString().startsWith("PLAY \"Song B\" ");
        assertThat(alice.lobby().<String>peekParty(p -> p.nowPlaying().orElseThrow().title())).isEqualTo("Song B");
    }

    @Test
    void skipWhileTheLibraryFailsIsInternalAndKeepsTheQueue() throws Exception {
        run(bob, new ClientMessage.Request("Song A", null));
        run(bob, new ClientMessage.Request("Song B", null));
        libraryFails();
        assertThat(errorLine(() -> run(alice, new ClientMessage.Skip()))).startsWith("ERROR INTERNAL ");
        assertThat(queue()).extracting(QueueEntry::title).containsExactly("Song B");
        assertThat(alice.lobby().<String>peekParty(p -> p.nowPlaying().orElseThrow().title())).isEqualTo("Song A");
    }
}
