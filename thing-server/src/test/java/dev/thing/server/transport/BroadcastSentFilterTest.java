package dev.thing.server.transport;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.EncodedLine;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.junit.jupiter.api.Test;

/** What the TCP chain reports to the core as written: every THING message, but no broadcast line. */
class BroadcastSentFilterTest {
    private final NextFilter next = mock(NextFilter.class);
    private final IoSession session = mock(IoSession.class);
    private final TcpTransport.BroadcastSentFilter filter = new TcpTransport.BroadcastSentFilter();

    @Test
    void aBroadcastLineWrittenAsItsSharedBufferIsNotReportedOn() throws Exception {
        WriteRequest broadcast = new DefaultWriteRequest(EncodedLine.of(new ServerMessage.Notify("all")).buffer());

        filter.messageSent(next, session, broadcast);

        verify(next, never()).messageSent(session, broadcast);
    }

    @Test
    void aMessageTheCodecEncodedIsReportedOnEvenThoughItIsABufferNow() throws Exception {
        ServerMessage.Ping ping = new ServerMessage.Ping("7");
        WriteRequest request = new DefaultWriteRequest(ping);
        request.setMessage(IoBuffer.wrap("PING 7\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        filter.messageSent(next, session, request);

        verify(next).messageSent(session, request);
    }
}
