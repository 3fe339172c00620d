package dev.thing.server.dispatch;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.ThingException;
import dev.thing.server.library.LibraryException;
import dev.thing.server.party.PartyException;
import dev.thing.server.party.WantedException;
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
        if (failure instanceof ThingException e) {
            return new ServerMessage.Error(e.code(), e.getMessage());
        }
        if (failure instanceof ProtocolException e) {
            return new ServerMessage.Error(e.code(), e.getMessage());
        }
        if (failure instanceof PartyException e) {
            return new ServerMessage.Error(e.errorCode(), e.getMessage());
        }
        if (failure instanceof WantedException e) {
            if (e.errorCode() == ErrorCode.INTERNAL) {
                return internal(e);
            }
            return new ServerMessage.Error(e.errorCode(), e.getMessage());
        }
        if (failure instanceof LibraryException e) {
            ErrorCode code = switch (e.reason()) {
                case NO_SUCH_SONG -> ErrorCode.NO_SUCH_SONG;
                case TITLE_EXISTS -> ErrorCode.TITLE_EXISTS;
                case TOO_LARGE -> ErrorCode.TOO_LARGE;
                case BAD_AUDIO -> ErrorCode.BAD_AUDIO;
                case SYNTAX -> ErrorCode.SYNTAX;
                case INTERNAL -> null;
            };
            return code == null ? internal(e) : new ServerMessage.Error(code, e.getMessage());
        }
        return internal(failure);
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
