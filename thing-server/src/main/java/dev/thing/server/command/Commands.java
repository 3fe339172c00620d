package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ClientMessage.Accept;
import dev.thing.protocol.ClientMessage.Autoplay;
import dev.thing.protocol.ClientMessage.Delete;
import dev.thing.protocol.ClientMessage.Demote;
import dev.thing.protocol.ClientMessage.Get;
import dev.thing.protocol.ClientMessage.Help;
import dev.thing.protocol.ClientMessage.Kick;
import dev.thing.protocol.ClientMessage.ListSongs;
import dev.thing.protocol.ClientMessage.Lobbies;
import dev.thing.protocol.ClientMessage.Pause;
import dev.thing.protocol.ClientMessage.Play;
import dev.thing.protocol.ClientMessage.Promote;
import dev.thing.protocol.ClientMessage.Quit;
import dev.thing.protocol.ClientMessage.Reject;
import dev.thing.protocol.ClientMessage.Request;
import dev.thing.protocol.ClientMessage.Resume;
import dev.thing.protocol.ClientMessage.Seek;
import dev.thing.protocol.ClientMessage.ShowQueue;
import dev.thing.protocol.ClientMessage.ShowWanted;
import dev.thing.protocol.ClientMessage.Skip;
import dev.thing.protocol.ClientMessage.SongSet;
import dev.thing.protocol.ClientMessage.Stop;
import dev.thing.protocol.ClientMessage.Time;
import dev.thing.protocol.ClientMessage.Users;
import dev.thing.protocol.Role;
import dev.thing.server.Jukebox;
import dev.thing.server.lobby.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of commands: verb, usage, who may use it, handler. Adding a command is one line here plus its
 * handler; HELP and the access check read this table, so they cannot drift from it.
 */
public final class Commands {
    private final Map<Class<? extends ClientMessage>, CommandSpec<?>> byType = new LinkedHashMap<>();

    public Commands(Jukebox jukebox) {
        add("HELP", Help.class, "HELP [<command>]", "the commands open to you", Access.PENDING,
                (m, c) -> SessionCommands.help(m, c, this));
        add("QUIT", Quit.class, "QUIT", "leave; the server closes the connection", Access.PENDING,
                SessionCommands::quit);
        add("LOBBIES", Lobbies.class, "LOBBIES", "the lobbies with their member and pending counts", Access.ANYONE,
                SessionCommands::lobbies);
        add("USERS", Users.class, "USERS", "the lobby's members with role and round-trip time", Access.MEMBER,
                LobbyCommands::users);
        add("LIST", ListSongs.class, "LIST", "the library: id, title, artist, tag1, tag2, duration", Access.MEMBER,
                LibraryCommands::list);
        add("GET", Get.class, "GET <title>", "download a song (a SEND transfer)", Access.MEMBER,
                LibraryCommands::get);
        add("TIME", Time.class, "TIME [<token>]", "the server's clock in microseconds", Access.MEMBER,
                SessionCommands::time);
        add("REQUEST", Request.class, "REQUEST <title> [<artist>]",
                "queue a song; one not in the library goes on the wanted list", Access.MEMBER, PartyCommands::request);
        add("QUEUE", ShowQueue.class, "QUEUE", "the lobby's queue, with who asked", Access.MEMBER,
                PartyCommands::queue);
        add("WANTED", ShowWanted.class, "WANTED", "songs requested but not in the library", Access.MODERATOR,
                PartyCommands::wanted);
        add("ACCEPT", Accept.class, "ACCEPT <username>", "let a waiting joiner in", Access.MODERATOR,
                LobbyCommands::accept);
        add("REJECT", Reject.class, "REJECT <username>", "turn a waiting joiner away", Access.MODERATOR,
                LobbyCommands::reject);
        add("PLAY", Play.class, "PLAY <title> [<position-ms>|<m:ss>]", "play a song for the lobby",
                Access.MODERATOR, PartyCommands::play);
        add("PAUSE", Pause.class, "PAUSE", "pause the lobby's song", Access.MODERATOR, PartyCommands::pause);
        add("RESUME", Resume.class, "RESUME", "resume the paused song", Access.MODERATOR, PartyCommands::resume);
        add("SEEK", Seek.class, "SEEK <position-ms>|<m:ss>", "move the song to a position", Access.MODERATOR,
                PartyCommands::seek);
        add("SKIP", Skip.class, "SKIP", "go to the next song in the queue", Access.MODERATOR, PartyCommands::skip);
        add("STOP", Stop.class, "STOP", "stop playback", Access.MODERATOR, PartyCommands::stop);
        add("KICK", Kick.class, "KICK <username>", "disconnect a member (moderators: users only)",
                Access.MODERATOR, LobbyCommands::kick);
        add("PROMOTE", Promote.class, "PROMOTE <username>", "make a member a moderator", Access.ADMIN,
                LobbyCommands::promote);
        add("DEMOTE", Demote.class, "DEMOTE <username>", "make a moderator a plain user again", Access.ADMIN,
                LobbyCommands::demote);
        add("SONG", SongSet.class, "SONG <title> SET TAG1|TAG2|ARTIST <value>", "edit a song's metadata",
                Access.ADMIN, (m, c) -> LibraryCommands.songSet(m, c, jukebox));
        add("DELETE", Delete.class, "DELETE <title>", "remove a song from the library", Access.ADMIN,
                (m, c) -> LibraryCommands.delete(m, c, jukebox));
        add("AUTOPLAY", Autoplay.class, "AUTOPLAY [ON|OFF]", "play random songs when the queue runs dry",
                Access.ADMIN, PartyCommands::autoplay);
    }

    private <M extends ClientMessage> void add(String verb, Class<M> type, String usage, String summary,
                                               Access access, CommandHandler<M> handler) {
        byType.put(type, new CommandSpec<>(verb, type, usage, summary, access, handler));
    }

    public Optional<CommandSpec<?>> spec(ClientMessage message) {
        return Optional.ofNullable(byType.get(message.getClass()));
    }

    /** The command with this verb (upper case), so that a role is checked even when the arguments are malformed. */
    public Optional<CommandSpec<?>> spec(String verb) {
        return byType.values().stream().filter(s -> s.verb().equals(verb)).findFirst();
    }

    /** The commands open to {@code member} (null: not joined yet), in HELP's order. */
    public List<CommandSpec<?>> openTo(Member member) {
        List<CommandSpec<?>> open = new ArrayList<>();
        for (CommandSpec<?> spec : byType.values()) {
            if (member == null) {
                if (spec.access() == Access.ANYONE || spec.access() == Access.PENDING) {
                    open.add(spec);
                }
            } else if (member.role() == Role.PENDING) {
                if (spec.access() == Access.PENDING) {
                    open.add(spec);
                }
            } else if (spec.access().allows(member.role())) {
                open.add(spec);
            }
        }
        return open;
    }

    /** SEND is a transfer, not a table command, but HELP lists it for admins. */
    public static final String SEND_USAGE = "SEND <title> [<artist> [<tag1> [<tag2>]]] - upload a song: "
            + "CHUNK <n> lines each followed by n bytes (1-1000), then OKAY (or ABORT)";
}
