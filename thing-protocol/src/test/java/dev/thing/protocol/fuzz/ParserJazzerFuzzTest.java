package dev.thing.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link MessageParser}. The input is read as UTF-8 (as the decoder hands lines
 * up: valid text, no LF, one trailing CR removed) and cut at LF into lines; each line goes through
 * {@code parseClient}, {@code parseBeforeJoin} and {@code parseServer}.
 *
 * <p>Invariants: the only exception is {@link ProtocolException} (with a code); a client message that parses, written
 * back with {@link MessageWriter}, parses (in the same mode) to an equal message.
 */
class ParserJazzerFuzzTest {

    @FuzzTest(maxDuration = "3m")
    void parsers(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        for (String line : text.split("\n", -1)) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            client(line, false);
            client(line, true);
            try {
                MessageParser.parseServer(line);
            } catch (ProtocolException e) {
                assertThat(e.code()).isNotNull();
            }
        }
    }

    private static void client(String line, boolean beforeJoin) {
        ClientMessage m;
        try {
            m = parse(line, beforeJoin);
        } catch (ProtocolException e) {
            assertThat(e.code()).isNotNull();
            return;
        }
        if (m == null) {
            assertThat(line.isBlank()).as("null (blank line) for %s", Fuzz.show(line)).isTrue();
            return;
        }
        String written = MessageWriter.line(m);
        ClientMessage again;
        try {
            again = parse(written, beforeJoin);
        } catch (ProtocolException e) {
            throw new AssertionError("parsed " + Fuzz.show(line) + " to " + m + ", wrote it as " + Fuzz.show(written)
                    + ", which does not parse: " + e.code() + " " + e.getMessage(), e);
        }
        assertThat(again).as("%s parsed to %s, written as %s", Fuzz.show(line), m, Fuzz.show(written)).isEqualTo(m);
    }

    private static ClientMessage parse(String line, boolean beforeJoin) throws ProtocolException {
        return beforeJoin ? MessageParser.parseBeforeJoin(line) : MessageParser.parseClient(line);
    }
}
