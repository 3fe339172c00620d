package dev.thing.client.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import javax.sound.sampled.AudioFormat;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * Decodes an MP3 stream to 16-bit little-endian PCM with JLayer, sample-exactly.
 *
 * <p><b>Timeline.</b> Every MPEG audio frame stands for exactly {@link #samplesPerFrame()} samples (1152 for
 * MPEG-1 layer III, 576 for MPEG-2/2.5 layer III), whatever JLayer makes of it: a frame that decodes to fewer
 * samples (not enough bit reservoir) is padded with silence, so positions are counted in frames, never drift with
 * decoding quirks, and equal what a player that started at 0 would have reached.
 *
 * <p><b>Gapless trim.</b> LAME (and ffmpeg) put an "Xing"/"Info" frame first: it holds no audio, only the frame count
 * and, in the LAME extension, the encoder delay and end padding. That frame is never decoded. When the delay is
 * known the first {@code delay + 529} decoded samples (529 = the decoder's filterbank delay) are dropped and the
 * padding is cut at the end, so sample 0 of the output is sample 0 of what was encoded and position {@code p} ms is
 * exactly the encoder's input at {@code p} ms. Without that information output starts at the first decoded sample.
 *
 * <p><b>Seeking</b> ({@link #skipTo}) skips whole frames without decoding them (header.ms_per_frame() worth of
 * time each, counted exactly in samples), decodes {@value #PRIMING_FRAMES} frames before the target to refill the
 * bit reservoir and the overlap/filterbank state (their output is dropped), then drops the samples before the target
 * inside its frame: the first sample out is the exact position, and identical to what continuous decoding gives.
 *
 * <p><b>Streams.</b> ID3v2 tags at the start are skipped here (reading fully, so a stream that blocks while
 * downloading is fine; JLayer's own skip assumes all bytes are at hand). An ID3v1 tag at the end is cut off before
 * JLayer sees it (JLayer drops the last audio frame when a tag follows it). A truncated end stops cleanly (the last
 * partial frame is padded). Undecodable data ends with an {@link IOException}. Not thread-safe.
 */
public final class Mp3Decoder implements AutoCloseable {
    /** The synthesis filterbank delay of a layer III decoder, in samples. */
    public static final int DECODER_DELAY = 529;
    /**
     * Frames decoded (and dropped) before a seek target so that its frame decodes exactly as in a full decode: the
     * bit reservoir reaches back up to 511 bytes, which is five frames at 32 kbit/s; ten leaves a margin and costs
     * a few milliseconds.
     */
    public static final int PRIMING_FRAMES = 10;

    private static final int PEEK = 1024;

    /**
     * JLayer 1.0.1 fills shared tables lazily, unguarded, when a decoder decodes its first frame (the Huffman tables
     * in {@code huffcodetab.inithuff}, {@code LayerIIIDecoder.reorder_table}, {@code SynthesisFilter.d}/{@code d16}):
     * two decoders starting at once (the warm-up and a PLAY, two clients in one JVM) could see a table half made and
     * fail with a NullPointerException ("undecodable MP3 frame 0"). Every decoder's first frame is decoded under this
     * lock, so the tables are made once, by one thread, and are visible to every decoder that starts later.
     */
    private static final Object JLAYER_FIRST_FRAME = new Object();

    private final InputStream in;
    private final Bitstream bitstream;
    private final Decoder decoder = new Decoder();
    private final int sampleRate;
    private final int channels;
    private final int samplesPerFrame;
    private final boolean infoFrame;
    private final int encoderDelay;
    private final int encoderPadding;
    private final long xingFrames;
    private final long totalSamples;
    private final long startTrim;
    private final float msPerFrame;

    private Header pending;
    /** Audio frames (after the info frame) decoded or skipped so far. */
    private long frameIndex;
    /** Decoded samples still to drop before the next one is output (gapless trim, seek remainder). */
    private long dropPending;
    /** Index of the next output sample in the song. */
    private long position;
    private boolean eof;
    /** Whether this decoder's JLayer state (and so the shared tables) has been made: see {@link #JLAYER_FIRST_FRAME}. */
    private boolean jlayerReady;

    /** Opens {@code source} and reads its first frame header (blocking until it is there). */
    public static Mp3Decoder open(SongSource source) throws IOException {
        InputStream stream = source.open();
        try {
            return new Mp3Decoder(stream);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** Decodes {@code stream}, which it owns from now on; reads up to the first audio frame header. */
    public Mp3Decoder(InputStream stream) throws IOException {
        this.in = stream;
        PushbackInputStream pin = new PushbackInputStream(new Id3v1Stripper(stream), PEEK);
        skipId3v2(pin);

        byte[] peek = pin.readNBytes(PEEK);
        int sync = findSync(peek);
        InfoTag tag = sync < 0 ? null : parseInfo(peek, sync);
        int from = Math.max(0, sync);
        pin.unread(peek, from, peek.length - from); // junk before the first frame is dropped here
        this.bitstream = new Bitstream(pin);

        Header first = readHeader();
        if (first == null) {
            throw new IOException("not an MP3 stream: no audio frame found");
        }
        if (tag != null) {
            bitstream.closeFrame(); // the info frame: metadata, not audio
            Header next = readHeader();
            if (next == null) {
                throw new IOException("MP3 stream has no audio frames");
            }
            first = next;
        }
        this.pending = first;
        this.infoFrame = tag != null;
        this.sampleRate = first.frequency();
        this.channels = first.mode() == Header.SINGLE_CHANNEL ? 1 : 2;
        this.samplesPerFrame = samplesPerFrame(first);
        this.msPerFrame = first.ms_per_frame();
        this.encoderDelay = tag == null ? -1 : tag.delay;
        this.encoderPadding = tag == null ? -1 : tag.padding;
        this.xingFrames = tag == null ? -1 : tag.frames;
        this.startTrim = encoderDelay >= 0 ? encoderDelay + DECODER_DELAY : 0;
        this.totalSamples = encoderDelay >= 0 && xingFrames > 0
                ? Math.max(0, xingFrames * samplesPerFrame - encoderDelay - encoderPadding) : -1;
        this.dropPending = startTrim;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Samples (per channel) in one MPEG frame: 1152 for MPEG-1 layer III, 576 for MPEG-2/2.5 layer III. */
    public int samplesPerFrame() {
        return samplesPerFrame;
    }

    /** JLayer's header.ms_per_frame() of the first audio frame (26.12 ms at 44.1 kHz MPEG-1). */
    public float msPerFrame() {
        return msPerFrame;
    }

    /** The output format: 16-bit signed little-endian PCM, mono stays mono. */
    public AudioFormat format() {
        return new AudioFormat(sampleRate, 16, channels, true, false);
    }

    /** Bytes per output frame (all channels of one sample instant). */
    public int frameSize() {
        return 2 * channels;
    }

    /** Whether the stream started with an Xing/Info/VBRI frame (usual for LAME files, CBR ones too). */
    public boolean hasInfoFrame() {
        return infoFrame;
    }

    /** The LAME encoder delay in samples, or -1 when the file does not say. */
    public int encoderDelay() {
        return encoderDelay;
    }

    /** The LAME end padding in samples, or -1 when the file does not say. */
    public int encoderPadding() {
        return encoderPadding;
    }

    /** The song's exact length in samples when the info frame tells it, else -1. */
    public long totalSamples() {
        return totalSamples;
    }

    /** The song's length in milliseconds when known, else -1. */
    public long durationMs() {
        return totalSamples < 0 ? -1 : totalSamples * 1000 / sampleRate;
    }

    /** The index (per channel) of the next sample {@link #decodeNext()} returns. */
    public long positionSamples() {
        return position;
    }

    public long positionMs() {
        return position * 1000 / sampleRate;
    }

    /** The sample index of {@code positionMs}, rounded to the nearest sample. */
    public long samplesAt(long positionMs) {
        return Math.round(positionMs * (double) sampleRate / 1000.0);
    }

    /**
     * Moves forward so that the next sample out is the one at {@code positionMs} (see the class comment). Returns
     * the position reached in samples: less than asked only when the song ends first. Never goes back.
     */
    public long skipTo(long positionMs) throws IOException {
        return skipToSample(samplesAt(positionMs));
    }

    /** As {@link #skipTo}, in samples. */
    public long skipToSample(long target) throws IOException {
        if (target < position) {
            throw new IllegalArgumentException("cannot seek back: at " + position + ", asked " + target);
        }
        if (totalSamples >= 0 && target > totalSamples) {
            target = totalSamples;
        }
        long timelineTarget = target + startTrim;
        long targetFrame = timelineTarget / samplesPerFrame;
        long rawSkip = targetFrame - PRIMING_FRAMES - frameIndex;
        while (rawSkip-- > 0) {
            Header h = readHeader();
            if (h == null) {
                eof = true;
                position = Math.min(target, frameIndex * samplesPerFrame - startTrim);
                return position;
            }
            bitstream.closeFrame();
            frameIndex++;
        }
        // What is left (priming frames, the part of the target frame before it) is decoded and dropped.
        dropPending = timelineTarget - frameIndex * samplesPerFrame;
        position = target;
        return position;
    }

    /**
     * The PCM (16-bit LE, interleaved) of the next frame's worth of samples, or null at the end of the song.
     * Blocks while a downloading stream waits for bytes.
     */
    public byte[] decodeNext() throws IOException {
        while (!eof) {
            if (totalSamples >= 0 && position >= totalSamples) {
                eof = true;
                break;
            }
            Header h = readHeader();
            if (h == null) {
                eof = true;
                break;
            }
            short[] samples;
            int count;
            try {
                SampleBuffer out = decodeFrame(h);
                samples = out.getBuffer();
                count = out.getBufferLength();
            } catch (DecoderException | RuntimeException e) {
                eof = true;
                throw new IOException("undecodable MP3 frame " + frameIndex, e);
            } finally {
                bitstream.closeFrame();
            }
            frameIndex++;
            int perFrame = samplesPerFrame;
            int drop = (int) Math.min(dropPending, perFrame);
            dropPending -= drop;
            long out = perFrame - drop;
            if (totalSamples >= 0) {
                out = Math.min(out, totalSamples - position);
            }
            if (out <= 0) {
                continue;
            }
            int firstShort = drop * channels;
            int shorts = (int) out * channels;
            byte[] pcm = new byte[shorts * 2];
            int have = Math.min(count, perFrame * channels); // fewer: the rest stays silent
            for (int i = 0; i < shorts; i++) {
                int src = firstShort + i;
                short s = src < have ? samples[src] : 0;
                pcm[2 * i] = (byte) s;
                pcm[2 * i + 1] = (byte) (s >> 8);
            }
            position += out;
            return pcm;
        }
        return null;
    }

    @Override
    public void close() {
        try {
            bitstream.close();
        } catch (BitstreamException e) {
            // closing: nothing to do
        }
        try {
            in.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    private SampleBuffer decodeFrame(Header h) throws DecoderException {
        if (jlayerReady) {
            return (SampleBuffer) decoder.decodeFrame(h, bitstream);
        }
        synchronized (JLAYER_FIRST_FRAME) {
            SampleBuffer out = (SampleBuffer) decoder.decodeFrame(h, bitstream);
            jlayerReady = true;
            return out;
        }
    }

    private Header readHeader() throws IOException {
        if (pending != null) {
            Header h = pending;
            pending = null;
            return h;
        }
        try {
            return bitstream.readFrame();
        } catch (BitstreamException e) {
            // JLayer wraps the stream's IOException, sometimes twice: pass the original on (a failed download, say).
            Throwable cause = e;
            for (int depth = 0; cause != null && depth < 5; depth++) {
                if (cause instanceof IOException io) {
                    throw io;
                }
                cause = cause instanceof javazoom.jl.decoder.JavaLayerException jl && jl.getException() != null
                        ? jl.getException() : cause.getCause();
            }
            throw new IOException("bad MP3 stream", e);
        } catch (RuntimeException e) {
            throw new IOException("bad MP3 stream", e);
        }
    }

    private static int samplesPerFrame(Header h) {
        return switch (h.layer()) {
            case 1 -> 384;
            case 2 -> 1152;
            default -> h.version() == Header.MPEG1 ? 1152 : 576;
        };
    }

    /** Skips any ID3v2 tags at the start, reading them fully even from a stream that trickles. */
    private static void skipId3v2(PushbackInputStream pin) throws IOException {
        while (true) {
            byte[] head = pin.readNBytes(10);
            boolean id3 = head.length == 10 && head[0] == 'I' && head[1] == 'D' && head[2] == '3'
                    && (head[3] & 0xff) != 0xff && (head[6] & 0x80) == 0 && (head[7] & 0x80) == 0
                    && (head[8] & 0x80) == 0 && (head[9] & 0x80) == 0;
            if (!id3) {
                pin.unread(head);
                return;
            }
            long size = ((head[6] & 0x7fL) << 21) | ((head[7] & 0x7fL) << 14) | ((head[8] & 0x7fL) << 7)
                    | (head[9] & 0x7fL);
            if ((head[5] & 0x10) != 0) {
                size += 10; // footer
            }
            pin.skipNBytes(size);
        }
    }

    /** The offset of the first plausible MPEG audio frame header in {@code b}, or -1. */
    private static int findSync(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (plausibleHeader(b, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean plausibleHeader(byte[] b, int i) {
        if ((b[i] & 0xff) != 0xff || (b[i + 1] & 0xe0) != 0xe0) {
            return false;
        }
        int version = (b[i + 1] >> 3) & 3;     // 0: 2.5, 1: reserved, 2: 2, 3: 1
        int layer = (b[i + 1] >> 1) & 3;       // 0: reserved
        int bitrate = (b[i + 2] >> 4) & 0xf;   // 15: bad
        int rate = (b[i + 2] >> 2) & 3;        // 3: reserved
        return version != 1 && layer != 0 && bitrate != 15 && rate != 3;
    }

    private record InfoTag(long frames, int delay, int padding) {
    }

    /** Parses an Xing/Info (with the LAME extension) or VBRI frame at {@code at}; null if it is an audio frame. */
    private static InfoTag parseInfo(byte[] b, int at) {
        boolean mpeg1 = ((b[at + 1] >> 3) & 3) == 3;
        boolean mono = ((b[at + 3] >> 6) & 3) == 3;
        boolean crc = (b[at + 1] & 1) == 0;
        int side = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        int p = at + 4 + (crc ? 2 : 0) + side;
        if (has(b, p, "Xing") || has(b, p, "Info")) {
            int flags = readInt(b, p + 4);
            p += 8;
            long frames = -1;
            if ((flags & 1) != 0) {
                frames = readInt(b, p) & 0xffffffffL;
                p += 4;
            }
            if ((flags & 2) != 0) {
                p += 4;
            }
            if ((flags & 4) != 0) {
                p += 100;
            }
            if ((flags & 8) != 0) {
                p += 4;
            }
            int delay = -1;
            int padding = -1;
            if ((has(b, p, "LAME") || has(b, p, "Lavf") || has(b, p, "Lavc")) && p + 24 <= b.length) {
                delay = ((b[p + 21] & 0xff) << 4) | ((b[p + 22] & 0xff) >> 4);
                padding = ((b[p + 22] & 0x0f) << 8) | (b[p + 23] & 0xff);
            }
            return new InfoTag(frames, delay, padding);
        }
        int vbri = at + 4 + 32;
        if (has(b, vbri, "VBRI")) {
            long frames = vbri + 18 <= b.length ? readInt(b, vbri + 14) & 0xffffffffL : -1;
            return new InfoTag(frames, -1, -1);
        }
        return null;
    }

    private static boolean has(byte[] b, int at, String magic) {
        return at >= 0 && at + 4 <= b.length
                && new String(b, at, 4, StandardCharsets.ISO_8859_1).equals(magic);
    }

    private static int readInt(byte[] b, int at) {
        if (at + 4 > b.length) {
            return 0;
        }
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /**
     * Passes a stream through but holds back its last 128 bytes until the end, and drops them if they are an ID3v1
     * tag ("TAG..."). Blocks like its source.
     */
    static final class Id3v1Stripper extends InputStream {
        private static final int TAG = 128;
        private final InputStream src;
        private final byte[] ring = new byte[TAG * 64];
        private int start;
        private int count;
        private boolean eof;

        Id3v1Stripper(InputStream src) {
            this.src = src;
        }

        /** Reads until more than {@link #TAG} bytes are held, or the end. */
        private void fill() throws IOException {
            while (!eof && count <= TAG) {
                int tail = (start + count) % ring.length;
                int room = Math.min(ring.length - count, ring.length - tail);
                int n = src.read(ring, tail, room);
                if (n < 0) {
                    eof = true;
                    if (count == TAG && ring[start] == 'T' && ring[(start + 1) % ring.length] == 'A'
                            && ring[(start + 2) % ring.length] == 'G') {
                        count = 0;
                    }
                } else {
                    count += n;
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            fill();
            int releasable = eof ? count : count - TAG;
            if (releasable <= 0) {
                return -1;
            }
            int n = Math.min(len, Math.min(releasable, ring.length - start));
            System.arraycopy(ring, start, b, off, n);
            start = (start + n) % ring.length;
            count -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            int more = eof ? 0 : src.available();
            int releasable = (eof ? count : count - TAG) + more;
            return Math.max(0, releasable);
        }

        @Override
        public void close() throws IOException {
            src.close();
        }
    }
}
