package dev.thing.server.party;

import dev.thing.protocol.ServerMessage;
import java.util.List;

/**
 * What a party operation asks the lobby to tell its members.
 *
 * @param events       playback events to broadcast to every member, in this order
 * @param lobbyNotices texts for {@code NOTIFY} lines to the whole lobby, in this order
 * @param facts        EVENT lines for the whole lobby (programs only), sent after the notices
 */
public record PartyOutcome(List<PlaybackEvent> events, List<String> lobbyNotices, List<ServerMessage.Event> facts) {
    private static final PartyOutcome NONE = new PartyOutcome(List.of(), List.of());

    public PartyOutcome {
        events = List.copyOf(events);
        lobbyNotices = List.copyOf(lobbyNotices);
        facts = List.copyOf(facts);
    }

    /** Events and notices, no event lines. */
    public PartyOutcome(List<PlaybackEvent> events, List<String> lobbyNotices) {
        this(events, lobbyNotices, List.of());
    }

    /** Nothing to tell. */
    public static PartyOutcome none() {
        return NONE;
    }

    /** One event, no notice. */
    public static PartyOutcome of(PlaybackEvent event) {
        return new PartyOutcome(List.of(event), List.of());
    }

    /** True when there is nothing to broadcast. */
    public boolean isEmpty() {
        return events.isEmpty() && lobbyNotices.isEmpty() && facts.isEmpty();
    }
}
