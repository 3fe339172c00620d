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
}
