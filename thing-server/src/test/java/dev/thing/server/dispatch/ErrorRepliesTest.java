package dev.thing.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.ThingException;
import dev.thing.server.library.LibraryException;
import dev.thing.server.party.PartyException;
import dev.thing.server.party.WantedException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorRepliesTest {
    static final Pattern INCIDENT = Pattern.compile("incident #(\\d+)");

    @Test
    void aThingExceptionKeepsItsCodeAndText() {
        ServerMessage.Error e = ErrorReplies.of(new ThingException(ErrorCode.LIMIT, "too many lobbies"));

        assertThat(MessageWriter.line(e)).isEqualTo("ERROR LIMIT too many lobbies");
    }

    @Test
    void aProtocolExceptionKeepsItsCodeAndText() {
        ServerMessage.Error e = ErrorReplies.of(new ProtocolException(ErrorCode.SYNTAX, "bad quote"));

        assertThat(MessageWriter.line(e)).isEqualTo("ERROR SYNTAX bad quote");
    }

    @ParameterizedTest
    @EnumSource(PartyException.Reason.class)
    void everyPartyReasonMapsToItsCode(PartyException.Reason reason) {
        ServerMessage.Error e = ErrorReplies.of(new PartyException(reason, "party says no"));

        assertThat(e.code()).isEqualTo(reason.errorCode());
        if (reason.errorCode() == ErrorCode.INTERNAL) {
            // A storage failure is an incident in the log, not a text from deep inside the server.
            assertThat(e.text()).startsWith("the server failed (incident #");
        } else {
            assertThat(e.text()).isEqualTo("party says no");
        }
    }

    @Test
    void everyRoomsFailureIsOneModelMappedHere() {
        for (dev.thing.server.Failure f : java.util.List.<dev.thing.server.Failure>of(
                new dev.thing.server.ThingException(ErrorCode.LIMIT, "full"),
                new PartyException(PartyException.Reason.NO_SUCH_SONG, "none"),
                new dev.thing.server.library.LibraryException(
                        dev.thing.server.library.LibraryException.Reason.TITLE_EXISTS, "taken"))) {
            assertThat(ErrorReplies.of((Throwable) f).code()).isEqualTo(f.errorCode());
        }
        assertThat(ErrorReplies.of(new dev.thing.server.library.LibraryException(
                dev.thing.server.library.LibraryException.Reason.INTERNAL, "disk on fire")).text())
                .as("never the raw cause").startsWith("the server failed (incident #");
    }

    @Test
    void partyReasonsMapAsTheProtocolSays() {
        assertThat(ErrorReplies.of(new PartyException(PartyException.Reason.NO_SUCH_SONG, "x")).code())
                .isEqualTo(ErrorCode.NO_SUCH_SONG);
        assertThat(ErrorReplies.of(new PartyException(PartyException.Reason.DUPLICATE, "x")).code())
                .isEqualTo(ErrorCode.DUPLICATE);
        assertThat(ErrorReplies.of(new PartyException(PartyException.Reason.LIMIT, "x")).code())
                .isEqualTo(ErrorCode.LIMIT);
        assertThat(ErrorReplies.of(new PartyException(PartyException.Reason.NOT_PLAYING, "x")).code())
                .isEqualTo(ErrorCode.NOT_ALLOWED);
    }

    @Test
    void wantedDuplicateAndLimitKeepTheirCodes() {
        assertThat(MessageWriter.line(ErrorReplies.of(
                new WantedException(WantedException.Reason.DUPLICATE, "X is already wanted in one"))))
                .isEqualTo("ERROR DUPLICATE X is already wanted in one");
        assertThat(ErrorReplies.of(new WantedException(WantedException.Reason.LIMIT, "full")).code())
                .isEqualTo(ErrorCode.LIMIT);
    }

    @Test
    void aWantedStorageFailureIsAnInternalIncidentWithoutTheDatabaseText() {
        ServerMessage.Error e = ErrorReplies.of(new WantedException(WantedException.Reason.STORAGE,
                "cannot store the wish for X", new SQLException("SQLITE_BUSY database is locked")));

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.text()).containsPattern(INCIDENT).doesNotContain("SQLITE");
    }

    @ParameterizedTest
    @EnumSource(LibraryException.Reason.class)
    void everyLibraryReasonMapsToItsCode(LibraryException.Reason reason) {
        ServerMessage.Error e = ErrorReplies.of(new LibraryException(reason, "library says no",
                new IOException("disk detail")));

        ErrorCode expected = switch (reason) {
            case NO_SUCH_SONG -> ErrorCode.NO_SUCH_SONG;
            case TITLE_EXISTS -> ErrorCode.TITLE_EXISTS;
            case TOO_LARGE -> ErrorCode.TOO_LARGE;
            case BAD_AUDIO -> ErrorCode.BAD_AUDIO;
            case SYNTAX -> ErrorCode.SYNTAX;
            case INTERNAL -> ErrorCode.INTERNAL;
        };
        assertThat(e.code()).isEqualTo(expected);
        if (reason == LibraryException.Reason.INTERNAL) {
            assertThat(e.text()).containsPattern(INCIDENT).doesNotContain("disk detail");
        } else {
            assertThat(e.text()).isEqualTo("library says no");
        }
    }

    @Test
    void anUnexpectedFailureIsInternalWithAnIncidentNumberAndNoStackTrace() {
        ServerMessage.Error e = ErrorReplies.of(new IllegalStateException("secret detail"));

        String line = MessageWriter.line(e);
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(line).startsWith("ERROR INTERNAL ").containsPattern(INCIDENT)
                .doesNotContain("secret detail", "IllegalStateException", "\tat ", "dev.thing", "\n");
        assertThat(e.text()).contains("nothing was changed");
    }

    @Test
    void eachIncidentHasItsOwnGrowingNumber() {
        long first = incident(ErrorReplies.of(new NullPointerException()));
        long second = incident(ErrorReplies.of(new RuntimeException("again")));

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void errorBuildsALine() {
        assertThat(MessageWriter.line(ErrorReplies.error(ErrorCode.PENDING, "waiting for approval")))
                .isEqualTo("ERROR PENDING waiting for approval");
    }

    private static long incident(ServerMessage.Error e) {
        Matcher m = INCIDENT.matcher(e.text());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
