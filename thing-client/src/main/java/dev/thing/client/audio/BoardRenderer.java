package dev.thing.client.audio;

import dev.thing.client.board.BoardState;
import dev.thing.protocol.board.BoardPitch;
import dev.thing.protocol.board.BoardTiming;
import dev.thing.protocol.board.Cells;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Renders one loop of a board to PCM with the JDK's software synthesizer, through public API only: the board
 * becomes a {@link Sequence} (one MIDI track per board track, General MIDI programs, the drum track on channel 10,
 * index 9), written as a type-1 MIDI file to a byte array and read back as audio with
 * {@link AudioSystem#getAudioInputStream(InputStream)} (the JDK's synthesizer, Gervill, registers a reader of MIDI
 * files), converted to the output line's format.
 *
 * <p><b>Timing.</b> The sequence runs at {@link #MICROS_PER_QUARTER} microseconds per quarter note with
 * {@link #TICKS_PER_QUARTER} ticks per quarter, so one tick is one microsecond and column k's notes start at tick
 * {@code floor(k * 60,000,000 / bpm)}: exactly the offset the RFC's board timing gives (BoardTiming). The synthesizer
 * puts a fixed stretch of silence before the first onset (13.67 ms at 44.1 kHz); it is measured once per format,
 * by rendering a single note at tick 0 and finding its first sample ({@link #leadFrames}), and cut from every
 * render, so that frame 0 of a loop is the instant column 0 starts.
 *
 * <p>A loop's PCM runs on past the loop's end by up to {@link #TAIL_NANOS} (and at most one loop length): what the
 * last notes and the synthesizer's reverb still sound, mixed over the start of the next loop.
 */
public final class BoardRenderer {
    /** With {@link #MICROS_PER_QUARTER}: a tick is a microsecond. */
    public static final int TICKS_PER_QUARTER = 32_000;
    public static final int MICROS_PER_QUARTER = 32_000;
    /** How long a loop's sound may ring on into the next. */
    public static final long TAIL_NANOS = 2_000_000_000L;
    private static final int CALIBRATION_KEY = 60;
    private static final Map<String, Long> LEADS = new ConcurrentHashMap<>();

    /**
     * One rendered loop in {@code format}: {@code loopFrames} frames of the loop itself, then its tail; {@code key}
     * says which board it sounds ({@link #key}).
     */
    public record Loop(String key, AudioFormat format, int bpm, int columns, long loopFrames, byte[] pcm) {
        public long frames() {
            return pcm.length / Math.max(1, format.getFrameSize());
        }

        public boolean fits(AudioFormat f) {
            return format.matches(f) && f.matches(format);
        }
    }

    private BoardRenderer() {
    }

    /** What a board's sound depends on (size, tempo, instruments, cells); equal keys sound the same. */
    public static String key(BoardState.Snapshot board) {
        StringBuilder s = new StringBuilder().append(board.shape().columns()).append('x')
                .append(board.shape().rows()).append('@').append(board.bpm());
        for (BoardState.Track t : board.tracks()) {
            s.append('|').append(t.instrument().name());
            for (Cells c : t.rows()) {
                s.append(' ').append(c);
            }
        }
        return s.toString();
    }

    /** The board's loop as a MIDI sequence: a tempo track, then one track per board track. */
    public static Sequence sequence(BoardState.Snapshot board) throws InvalidMidiDataException {
        Sequence seq = new Sequence(Sequence.PPQ, TICKS_PER_QUARTER);
        Track tempo = seq.createTrack();
        tempo.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (MICROS_PER_QUARTER >> 16),
                (byte) (MICROS_PER_QUARTER >> 8), (byte) MICROS_PER_QUARTER}, 3), 0));
        int columns = board.shape().columns();
        long loopTicks = tick(board.bpm(), columns);
        for (BoardState.Track t : board.tracks()) {
            Track track = seq.createTrack();
            int channel = t.instrument().drums() ? BoardPitch.DRUM_CHANNEL : t.number() - 1;
            if (!t.instrument().drums()) {
                track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, channel,
                        t.instrument().program(), 0), 0));
            }
            int rows = t.rows().size();
            // Note-offs before note-ons: a note that ends where the next of the same key starts must not end it.
            for (int r = 0; r < rows; r++) {
                int key = BoardPitch.key(t.instrument(), r + 1, rows);
                for (Cells.Note n : t.rows().get(r).notes()) {
                    track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, key, 0),
                            tick(board.bpm(), n.start() + n.duration())));
                }
            }
            for (int r = 0; r < rows; r++) {
                int key = BoardPitch.key(t.instrument(), r + 1, rows);
                for (Cells.Note n : t.rows().get(r).notes()) {
                    track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, key,
                            BoardPitch.VELOCITY), tick(board.bpm(), n.start())));
                }
            }
        }
        // The sequence ends at the loop's end (the reader renders its length plus a few seconds).
        tempo.add(new MidiEvent(new MetaMessage(0x2F, new byte[0], 0), loopTicks));
        return seq;
    }

    /** The tick (a microsecond) column {@code step} of a loop starts at, as BoardTiming has it. */
    static long tick(int bpm, long step) {
        return BoardTiming.stepStartUs(0, bpm, step);
    }

    /** How many frames of {@code format} a loop of {@code columns} at {@code bpm} lasts. */
    public static long loopFrames(int bpm, int columns, AudioFormat format) {
        return framesOf(tick(bpm, columns), format);
    }

    /** Frames of {@code format} in {@code micros} microseconds, rounded to the nearest. */
    static long framesOf(long micros, AudioFormat format) {
        long rate = Math.round(format.getFrameRate());
        return Math.floorDiv(micros * rate + 500_000, 1_000_000);
    }

    /** Renders one loop of {@code board} in {@code format} (16-bit signed PCM, as the output line has it). */
    public static Loop render(BoardState.Snapshot board, AudioFormat format) throws IOException {
        int frameSize = format.getFrameSize();
        long loopFrames = loopFrames(board.bpm(), board.shape().columns(), format);
        boolean silent = board.tracks().stream().allMatch(t -> t.rows().stream().allMatch(Cells::isEmpty));
        if (silent) {
            return new Loop(key(board), format, board.bpm(), board.shape().columns(), loopFrames, new byte[0]);
        }
        long tail = Math.min(loopFrames, framesOf(TAIL_NANOS / 1000, format));
        long lead = leadFrames(format);
        byte[] pcm;
        try (AudioInputStream in = open(sequence(board), format)) {
            skipFully(in, lead * frameSize);
            pcm = in.readNBytes(Math.toIntExact((loopFrames + tail) * frameSize));
        } catch (InvalidMidiDataException e) {
            throw new IOException("the board does not make a MIDI sequence: " + e.getMessage(), e);
        }
        return new Loop(key(board), format, board.bpm(), board.shape().columns(), loopFrames, pcm);
    }

    /**
     * The frames of silence the synthesizer puts before a note at tick 0 in {@code format}: measured once (a
     * single piano note rendered, its first non-zero sample found), then remembered.
     */
    public static long leadFrames(AudioFormat format) throws IOException {
        String k = format.toString();
        Long known = LEADS.get(k);
        if (known != null) {
            return known;
        }
        long lead;
        try {
            Sequence seq = new Sequence(Sequence.PPQ, TICKS_PER_QUARTER);
            Track t = seq.createTrack();
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, CALIBRATION_KEY, BoardPitch.VELOCITY), 0));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, CALIBRATION_KEY, 0), TICKS_PER_QUARTER));
            try (AudioInputStream in = open(seq, format)) {
                byte[] head = in.readNBytes((int) (framesOf(500_000, format) * format.getFrameSize()));
                lead = RecordingSink.firstNonSilentFrame(head, format.getFrameSize(), 0);
            }
        } catch (InvalidMidiDataException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (lead < 0) {
            throw new IOException("the software synthesizer rendered a test note as silence in " + format);
        }
        LEADS.put(k, lead);
        return lead;
    }

    /** The sequence as audio in {@code format}, through a type-1 MIDI file and the synthesizer's file reader. */
    private static AudioInputStream open(Sequence seq, AudioFormat format) throws IOException {
        ByteArrayOutputStream midi = new ByteArrayOutputStream();
        MidiSystem.write(seq, 1, midi);
        AudioInputStream raw;
        try {
            raw = AudioSystem.getAudioInputStream(new ByteArrayInputStream(midi.toByteArray()));
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("this Java has no software synthesizer to render MIDI (" + e.getMessage() + ")",
                    e);
        }
        if (raw.getFormat().matches(format) && format.matches(raw.getFormat())) {
            return raw;
        }
        try {
            return AudioSystem.getAudioInputStream(format, raw);
        } catch (IllegalArgumentException e) {
            raw.close();
            throw new IOException("cannot convert the synthesizer's " + raw.getFormat() + " to " + format, e);
        }
    }

    private static void skipFully(InputStream in, long bytes) throws IOException {
        byte[] scratch = new byte[8192];
        while (bytes > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, bytes));
            if (n < 0) {
                return;
            }
            bytes -= n;
        }
    }
}
