package dev.thing.server.dispatch;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.Failure;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The one place where failures become {@code ERROR <CODE> <text>} lines. */
public final class ErrorReplies {
    private static final Logger LOG = LogManager.getLogger(ErrorReplies.class);
    private static final AtomicLong INCIDENTS = new AtomicLong();

    private ErrorReplies() {
    }

    public static ServerMessage.Error of(Throwable failure) {
        ErrorCode code = failure instanceof Failure f ? f.errorCode()
                : failure instanceof ProtocolException e ? e.code() : ErrorCode.INTERNAL;
        // A storage failure (SQLite, disk, the tag library) is INTERNAL to whoever asked and a logged cause:
        // never a NO_SUCH_SONG or any other code that would tell the client something untrue.
        return code == ErrorCode.INTERNAL ? internal(failure) : new ServerMessage.Error(code, failure.getMessage());
    }

    private static ServerMessage.Error internal(Throwable failure) {
        long incident = INCIDENTS.incrementAndGet();
        LOG.error("internal error #{}", incident, failure);
        return new ServerMessage.Error(ErrorCode.INTERNAL,
                "the server failed (incident #" + incident + " in its log); nothing was changed");
    }

    public static ServerMessage.Error error(ErrorCode code, String text) {
        return new ServerMessage.Error(code, text);
    }
}
