package dev.thing.protocol.codec;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Cuts the byte stream into {@link Frame}s. Two modes, kept per session: LINE (read up to LF) and CHUNK (read
 * exactly the n bytes a {@code CHUNK <n>} line announced, never one more, so that a command right behind them is a
 * line again). Nothing here throws on bad input: every problem becomes a {@link Frame.Malformed} and decoding goes
 * on with the next byte, because an exception would make MINA drop the rest of the buffer.
 */
public final class ThingDecoder extends CumulativeProtocolDecoder {
    /** Chunks larger than this are not skipped but treated as a broken header: nobody sends 64 KiB by mistake. */
    static final int MAX_SKIPPABLE_CHUNK = 65_536;

    private static final AttributeKey STATE = new AttributeKey(ThingDecoder.class, "state");

    private final int maxLineBytes;

    public ThingDecoder(int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("line limit must be at least 16 bytes");
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Per-session framing state. */
    private static final class State {
        /** Bytes of a chunk body still to read (CHUNK mode) when > 0. */
        int chunkRemaining;
        /** Bytes of an oversized chunk still to throw away. */
        int skipRemaining;
        int skippedChunkSize;
        /** True while throwing away the rest of a line that passed the limit. */
        boolean discardingLine;
        /** The first bytes of the line being discarded, as ASCII. */
        String discardedHead = "";
        /** How far the search for LF has already looked, relative to the buffer position. */
        int scanned;
        final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private State state(IoSession session) {
        State state = (State) session.getAttribute(STATE);
        if (state == null) {
            state = new State();
            session.setAttribute(STATE, state);
        }
        return state;
    }

    @Override
    protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) {
        State st = state(session);

        if (st.skipRemaining > 0) {
            int skip = Math.min(st.skipRemaining, in.remaining());
            in.skip(skip);
            st.skipRemaining -= skip;
            if (st.skipRemaining > 0) {
                return false;
            }
            out.write(new Frame.Malformed(ErrorCode.TOO_LARGE, "chunk of " + st.skippedChunkSize
                    + " bytes is over the " + Message.Chunk.MAX_BYTES + "-byte limit; its bytes were discarded",
                    true));
            return true;
        }

        if (st.chunkRemaining > 0) {
            if (in.remaining() < st.chunkRemaining) {
                return false;
            }
            byte[] data = new byte[st.chunkRemaining];
            in.get(data);
            st.chunkRemaining = 0;
            out.write(new Frame.ChunkBody(new Message.Chunk(data)));
            return true;
        }

        int start = in.position();
        int limit = in.limit();
        int lf = -1;
        for (int i = start + st.scanned; i < limit; i++) {
            if (in.get(i) == '\n') {
                lf = i;
                break;
            }
        }
        if (lf < 0) {
            st.scanned = limit - start;
            if (st.discardingLine || limit - start > maxLineBytes + 1) {
                // Too long already: throw away what we have and keep throwing away up to the LF, keeping only its
                // first bytes (a SEND too long to read must still open a transfer to discard).
                if (!st.discardingLine) {
                    st.discardedHead = head(in, start, limit);
                }
                st.discardingLine = true;
                in.position(limit);
                st.scanned = 0;
            }
            return false;
        }
        st.scanned = 0;
        int end = lf;
        if (end > start && in.get(end - 1) == '\r') {
            end--;
        }
        int length = end - start;
        if (st.discardingLine || length > maxLineBytes) {
            String head = st.discardingLine ? st.discardedHead : head(in, start, end);
            st.discardingLine = false;
            st.discardedHead = "";
            in.position(lf + 1);
            out.write(new Frame.Malformed(ErrorCode.LINE_TOO_LONG,
                    "line longer than " + maxLineBytes + " bytes was discarded", false, head));
            return true;
        }
        ByteBuffer bytes = in.buf().duplicate();
        bytes.limit(end).position(start);
        in.position(lf + 1);
        String text;
        try {
            CharBuffer chars = st.utf8.reset().decode(bytes);
            text = chars.toString();
        } catch (CharacterCodingException e) {
            out.write(new Frame.Malformed(ErrorCode.SYNTAX, "line is not valid UTF-8", false));
            return true;
        }
        if (isChunkHeader(text)) {
            chunkHeader(st, text, out);
        } else {
            out.write(new Frame.Line(text));
        }
        return true;
    }

    private void chunkHeader(State st, String text, ProtocolDecoderOutput out) {
        String size = text.substring(leadingBlanks(text) + 5).strip();
        long n = -1;
        if (size.matches("[0-9]{1,9}")) {
            n = Long.parseLong(size);
        }
        if (n >= 1 && n <= Message.Chunk.MAX_BYTES) {
            st.chunkRemaining = (int) n;
        } else if (n > Message.Chunk.MAX_BYTES && n <= MAX_SKIPPABLE_CHUNK) {
            st.skipRemaining = (int) n;
            st.skippedChunkSize = (int) n;
        } else {
            out.write(new Frame.Malformed(ErrorCode.SYNTAX,
                    "bad chunk header: expected CHUNK <n> with n from 1 to " + Message.Chunk.MAX_BYTES, true));
        }
    }

    /** True when the line's first token is CHUNK; leading blanks are skipped, as the tokenizer skips them. */
    static boolean isChunkHeader(String text) {
        int i = leadingBlanks(text);
        return text.length() - i >= 5 && text.regionMatches(true, i, "CHUNK", 0, 5)
                && (text.length() == i + 5 || text.charAt(i + 5) == ' ' || text.charAt(i + 5) == '\t');
    }

    private static int leadingBlanks(String text) {
        int i = 0;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    @Override
    public void dispose(IoSession session) throws Exception {
        session.removeAttribute(STATE);
        super.dispose(session);
    }

    /** Up to the first 16 bytes of a line, ASCII only (anything else as '?'): enough to see its verb. */
    private static String head(org.apache.mina.core.buffer.IoBuffer in, int start, int end) {
        StringBuilder head = new StringBuilder();
        for (int i = start; i < Math.min(end, start + 16); i++) {
            byte b = in.get(i);
            head.append(b >= 0x20 && b < 0x7f ? (char) b : b == '\t' ? ' ' : '?');
        }
        return head.toString();
    }
}
