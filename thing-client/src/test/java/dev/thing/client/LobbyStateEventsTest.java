package dev.thing.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client's view of its lobby comes from EVENT lines as the server writes them, never from NOTIFY text. */
class LobbyStateEventsTest {
    final LobbyState state = new LobbyState("party", "alice");

    Optional<String> event(String line) throws ProtocolException {
        return state.absorb((ServerMessage.Event) MessageParser.parseServer(line));
    }

    @Test
    void membersJoinersAndRolesFollowTheEvents() throws Exception {
        event("EVENT APPROVAL party CREATED");
        event("EVENT MEMBER alice ADMIN");
        assertThat(state.myRole()).contains(Role.ADMIN);

        assertThat(event("EVENT WAITING bob")).as("a join request to show").contains("bob");
        assertThat(state.waiting()).containsExactly("bob");
        event("EVENT DECIDED bob ACCEPTED");
        event("EVENT MEMBER bob USER");
        assertThat(state.waiting()).isEmpty();
        assertThat(state.usernames()).containsExactly("alice", "bob");

        event("EVENT MEMBER bob MODERATOR");
        event("EVENT WAITING carol");
        event("EVENT DECIDED carol REFUSED");
        assertThat(state.usernames()).containsExactly("alice", "bob");

        event("EVENT GONE bob KICKED");
        assertThat(state.usernames()).containsExactly("alice");
    }

    @Test
    void aNotifyThatLooksLikeAJoinRequestChangesNothing() throws Exception {
        // NOTIFY is for people: the client shows it and reads nothing from it.
        assertThat(MessageParser.parseServer("NOTIFY mallory asks to join party: ACCEPT mallory or REJECT mallory"))
                .isInstanceOf(ServerMessage.Notify.class);
        assertThat(state.usernames()).isEmpty();
        assertThat(state.waiting()).isEmpty();
    }

    @Test
    void theQueueFollowsItsEventsAChangeTakingEffectAtItsEventQueue() throws Exception {
        assertThat(state.queue()).as("not pushed yet").isEmpty();
        event("EVENT QUEUE 0");
        assertThat(state.queue()).contains(java.util.List.of());

        event("EVENT ENTRY 1 12 \"Don't Stop Me Now\" bob");
        event("EVENT ENTRY 2 9 Intro alice");
        assertThat(state.queue()).as("half a change is not shown").contains(java.util.List.of());
        event("EVENT QUEUE 2");
        assertThat(state.queue().orElseThrow()).containsExactly(
                new ServerMessage.EntryLine(1, 12, "Don't Stop Me Now", "bob"),
                new ServerMessage.EntryLine(2, 9, "Intro", "alice"));

        event("EVENT ENTRY 3 4 Outro carol"); // queued at the end: the rest stays
        event("EVENT QUEUE 3");
        assertThat(state.queue().orElseThrow()).extracting(ServerMessage.EntryLine::title)
                .containsExactly("Don't Stop Me Now", "Intro", "Outro");

        event("EVENT ENTRY 1 9 Intro alice"); // the head started: everything moved up
        event("EVENT ENTRY 2 4 Outro carol");
        event("EVENT QUEUE 2");
        assertThat(state.queue().orElseThrow()).containsExactly(new ServerMessage.EntryLine(1, 9, "Intro", "alice"),
                new ServerMessage.EntryLine(2, 4, "Outro", "carol"));

        event("EVENT QUEUE 1"); // the last one taken off
        assertThat(state.queue().orElseThrow()).extracting(ServerMessage.EntryLine::title).containsExactly("Intro");
    }
}
