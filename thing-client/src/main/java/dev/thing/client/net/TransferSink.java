package dev.thing.client.net;

import dev.thing.protocol.Message;
import java.io.IOException;

/** Where incoming transfers (S->C SEND ... CHUNK ... OKAY|ABORT) are written as their bytes arrive. */
public interface TransferSink {
    /**
     * A transfer begins.
     *
     * @param header  its SEND line
     * @param isReply true when it answers this client's own GET, false when the server pushed it
     */
    IncomingTransfer open(Message.Send header, boolean isReply) throws IOException;

    /** One transfer being received. Called on the connection's event thread, in order. */
    interface IncomingTransfer {
        void append(byte[] bytes) throws IOException;

        /** The closing OKAY arrived: every byte is here. */
        void complete();

        /** ABORT, a broken transfer, or a disconnect: drop what was received. */
        void abort();
    }

    /** Drops every transfer (reads and discards the bytes). */
    TransferSink DISCARD = (header, isReply) -> new IncomingTransfer() {
        @Override
        public void append(byte[] bytes) {
        }

        @Override
        public void complete() {
        }

        @Override
        public void abort() {
        }
    };
}
