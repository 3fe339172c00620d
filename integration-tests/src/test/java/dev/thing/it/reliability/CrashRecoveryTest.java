package dev.thing.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.AudioDigest;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ServerMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jaudiotagger.audio.mp3.MP3AudioHeader;
import org.jaudiotagger.audio.mp3.MP3File;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a separate process, killed with SIGKILL at bad moments, then restarted on the same library:
 * nothing half-done may show, and everything acknowledged must be there.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CrashRecoveryTest {
    @TempDir
    Path dir;
    final List<ServerProcess> servers = new ArrayList<>();
    final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        clients.forEach(RawClient::close);
        servers.forEach(ServerProcess::close);
    }

    private Path library() {
        return dir.resolve("library");
    }

    private ServerProcess start() throws Exception {
        ServerProcess s = ServerProcess.start(library(), dir.resolve("server.log"));
        servers.add(s);
        return s;
    }

    private RawClient join(ServerProcess server, String lobby, String user) throws Exception {
        RawClient c = RawClient.connect(server.address(), user, true);
        clients.add(c);
        c.send(lobby + " " + user);
        assertThat(c.next()).as("join reply of %s", user).matches(dev.thing.it.TelnetClient.JOIN_OKAY);
        return c;
    }

    private static List<ServerMessage.SongLine> list(RawClient c) throws Exception {
        List<String> lines = c.command("LIST");
        assertThat(lines.get(lines.size() - 1)).startsWith("OKAY");
        List<ServerMessage.SongLine> songs = new ArrayList<>();
        for (String l : lines.subList(0, lines.size() - 1)) {
            songs.add((ServerMessage.SongLine) MessageParser.parseServer(l));
        }
        return songs;
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(library())) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".part") || n.endsWith(".tagtmp");
            }).toList();
        }
    }

    private List<Path> mp3s() throws IOException {
        try (Stream<Path> s = Files.list(library())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".mp3")).sorted().toList();
        }
    }

    private static Tag tagOf(Path file) throws Exception {
        MP3File mp3 = new MP3File(file.toFile(), MP3File.LOAD_ALL, true);
        MP3AudioHeader header = mp3.getMP3AudioHeader();
        assertThat(header).as("MP3 audio header of %s", file).isNotNull();
        assertThat(header.getPreciseTrackLength()).as("track length of %s", file).isPositive();
        assertThat(mp3.hasID3v2Tag()).as("ID3v2 tag in %s", file).isTrue();
        return mp3.getID3v2Tag();
    }

    @Test
    void killedDuringAnUploadLeavesNoTrace() throws Exception {
        ServerProcess server = start();
        RawClient admin = join(server, "crash", "boss");
        byte[] song = Audio.bytes("click-track-30s.mp3");
        admin.sendUploadFrames(song, 200_000, false, "Half Song", "Someone", "tag-one", "tag-two");
        // Wait until the server really is in the middle of it: a temporary file with part of the bytes.
        Path incoming = library().resolve(".incoming");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (partBytes(incoming) < 100_000) {
            assertThat(System.nanoTime()).as("upload under way within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        server.kill();

        ServerProcess again = start();
        assertThat(listFiles(incoming)).as(".incoming after restart").isEmpty();
        assertThat(leftovers()).as("stray temporary files").isEmpty();
        assertThat(mp3s()).as("songs in the folder").isEmpty();
        RawClient c = join(again, "after", "boss");
        assertThat(list(c)).as("LIST after restart").isEmpty();
        // And the title is free: the same upload now succeeds.
        assertThat(c.upload(song, "Half Song", "Someone", "tag-one", "tag-two")).matches("OKAY [0-9]+");
        assertThat(list(c)).extracting(ServerMessage.SongLine::title).containsExactly("Half Song");
    }

    private static long partBytes(Path incoming) throws IOException {
        long max = 0;
        for (Path p : listFiles(incoming)) {
            try {
                max = Math.max(max, Files.size(p));
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return max;
    }

    private static List<Path> listFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }

    @Test
    void acknowledgedUploadSurvivesAKillRightAfterItsOkay() throws Exception {
        ServerProcess server = start();
        RawClient admin = join(server, "crash", "boss");
        byte[] song = Audio.bytes("sine-440-3s.mp3");
        String reply = admin.upload(song, "Durable Song", "The Artist", "Shoegaze-x", "kept after a crash");
        assertThat(reply).matches("OKAY [0-9]+");
        server.kill();
        long id = Long.parseLong(reply.substring(5));

        ServerProcess again = start();
        RawClient c = join(again, "after", "boss");
        List<ServerMessage.SongLine> songs = list(c);
        assertThat(songs).hasSize(1);
        ServerMessage.SongLine s = songs.get(0);
        assertThat(s.id()).isEqualTo(id);
        assertThat(s.title()).isEqualTo("Durable Song");
        assertThat(s.artist()).isEqualTo("The Artist");
        assertThat(s.tag1()).isEqualTo("Shoegaze-x");
        assertThat(s.tag2()).isEqualTo("kept after a crash");
        assertThat(s.audioHash()).isEqualTo(AudioDigest.sha256Hex(song));
        List<Path> files = mp3s();
        assertThat(files).hasSize(1);
        Tag tag = tagOf(files.get(0));
        assertThat(tag.getFirst(FieldKey.TITLE)).isEqualTo("Durable Song");
        assertThat(tag.getFirst(FieldKey.ARTIST)).isEqualTo("The Artist");
        assertThat(tag.getFirst(FieldKey.COMMENT)).isEqualTo("kept after a crash");
        assertThat(AudioDigest.sha256Hex(files.get(0))).isEqualTo(s.audioHash());
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void killedDuringTagEditsKeepsAValidFileWithAnAcknowledgedOrLaterValue() throws Exception {
        ServerProcess server = start();
        RawClient admin = join(server, "crash", "boss");
        byte[] song = Audio.bytes("mono-22k-1s.mp3");
        assertThat(admin.upload(song, "Edit Me", "v0", "", "")).matches("OKAY [0-9]+");
        int edits = 2_000;
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 1; i <= edits; i++) {
                    admin.send("SONG \"Edit Me\" SET ARTIST v" + i);
                    written.set(i);
                }
            } catch (IOException e) {
                // the server died under us: that is the point
            }
        }, "tag-edit-writer");
        writer.setDaemon(true);
        writer.start();
        // Kill once a good number of edits have been acknowledged (replies come in order, one OKAY per edit).
        int acked = 0;
        while (acked < 60) {
            String line = admin.next();
            assertThat(line).as("reply to edit %d", acked + 1).isEqualTo("OKAY");
            acked++;
        }
        server.kill();
        assertThat(admin.awaitEnd(java.time.Duration.ofSeconds(30))).isTrue();
        String line;
        while ((line = admin.replies.poll()) != null) {
            if (line.equals("OKAY")) {
                acked++;
            }
        }
        writer.join(30_000);
        int sent = written.get();
        System.out.println("CrashRecoveryTest: " + acked + " of " + sent + " tag edits acknowledged before SIGKILL");
        assertThat(acked).isLessThan(edits);

        ServerProcess again = start();
        assertThat(leftovers()).as("stray temporary files").isEmpty();
        List<Path> files = mp3s();
        assertThat(files).hasSize(1);
        String inFile = tagOf(files.get(0)).getFirst(FieldKey.ARTIST);
        assertThat(AudioDigest.sha256Hex(files.get(0))).isEqualTo(AudioDigest.sha256Hex(song));
        RawClient c = join(again, "after", "boss");
        List<ServerMessage.SongLine> songs = list(c);
        assertThat(songs).hasSize(1);
        String indexed = songs.get(0).artist();
        System.out.println("CrashRecoveryTest: after restart the file says " + inFile + ", the index says " + indexed);
        // Durable: at least the last acknowledged edit; never a value that was not written.
        assertThat(editNumber(inFile)).as("edit in the file (%s)", inFile).isBetween(acked, sent);
        assertThat(editNumber(indexed)).as("edit in the index (%s)", indexed).isBetween(acked, sent);
    }

    private static int editNumber(String value) {
        assertThat(value).matches("v[0-9]+");
        return Integer.parseInt(value.substring(1));
    }

    @Test
    void acknowledgedWishesSurviveAKill() throws Exception {
        ServerProcess server = start();
        RawClient admin = join(server, "wishes", "boss");
        Set<String> titles = new HashSet<>();
        for (int i = 1; i <= 12; i++) {
            String title = "Wanted Song " + i;
            List<String> reply = admin.command("REQUEST \"" + title + "\" \"Artist " + i + "\"");
            assertThat(reply).as("REQUEST %s", title).containsExactly("OKAY");
            titles.add(title);
        }
        server.kill();

        ServerProcess again = start();
        RawClient c = join(again, "wishes", "boss");
        List<String> lines = c.command("WANTED");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("OKAY");
        Set<String> wanted = new HashSet<>();
        for (String l : lines.subList(0, lines.size() - 1)) {
            ServerMessage.WishLine w = (ServerMessage.WishLine) MessageParser.parseServer(l);
            assertThat(w.lobby()).isEqualToIgnoringCase("wishes");
            assertThat(w.requestedBy()).isEqualToIgnoringCase("boss");
            assertThat(w.artist()).isEqualTo("Artist " + w.title().substring("Wanted Song ".length()));
            wanted.add(w.title());
        }
        assertThat(wanted).isEqualTo(titles);
    }
}
