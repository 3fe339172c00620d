package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Command;
import dev.thing.protocol.Commands;
import dev.thing.protocol.Message;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.Jukebox;
import dev.thing.server.lobby.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One handler for each command declared in {@link Commands}: the declaration says the verb, syntax, help line and
 * who may use it; this table only adds what runs. A declaration without a handler stops the server at start
 * (and fails the test suite), so the two cannot drift apart.
 */
public final class CommandTable {
    /** Who did what with staff powers: one INFO line per staff command that succeeded. */
    public static final String STAFF_LOGGER = "dev.thing.server.staff";
    private static final Logger STAFF = LogManager.getLogger(STAFF_LOGGER);
    /** The commands whose use is logged with the member who used them (the staff actions). */
    static final Set<Command<?>> STAFF_ACTIONS = Set.of(Commands.PLAY, Commands.PAUSE, Commands.RESUME,
            Commands.SEEK, Commands.SKIP, Commands.STOP, Commands.PROMOTE, Commands.DEMOTE, Commands.KICK,
            Commands.AUTOPLAY, Commands.DELETE, Commands.SONG, Commands.RENAME, Commands.BAN, Commands.UNBAN,
            Commands.ACCEPT, Commands.REJECT, Commands.MOVE, Commands.UNQUEUE);

    private final Map<Command<?>, CommandHandler<?>> handlers = new LinkedHashMap<>();

    public CommandTable(Jukebox jukebox) {
        bind(Commands.HELP, (m, c) -> SessionCommands.help(m, c, this));
        bind(Commands.CAP, SessionCommands::cap);
        bind(Commands.QUIT, SessionCommands::quit);
        bind(Commands.LOBBIES, SessionCommands::lobbies);
        bind(Commands.USERS, LobbyCommands::users);
        bind(Commands.LIST, LibraryCommands::list);
        bind(Commands.GET, LibraryCommands::get);
        bind(Commands.TIME, SessionCommands::time);
        bind(Commands.REQUEST, PartyCommands::request);
        bind(Commands.QUEUE, PartyCommands::queue);
        bind(Commands.WANTED, PartyCommands::wanted);
        bind(Commands.UNWANT, PartyCommands::unwant);
        bind(Commands.ACCEPT, LobbyCommands::accept);
        bind(Commands.REJECT, LobbyCommands::reject);
        bind(Commands.PLAY, PartyCommands::play);
        bind(Commands.PAUSE, PartyCommands::pause);
        bind(Commands.RESUME, PartyCommands::resume);
        bind(Commands.SEEK, PartyCommands::seek);
        bind(Commands.SKIP, PartyCommands::skip);
        bind(Commands.STOP, PartyCommands::stop);
        bind(Commands.KICK, LobbyCommands::kick);
        bind(Commands.PROMOTE, LobbyCommands::promote);
        bind(Commands.DEMOTE, LobbyCommands::demote);
        bind(Commands.SEND, LibraryCommands::send);
        bind(Commands.SONG, (m, c) -> LibraryCommands.songSet(m, c, jukebox));
        bind(Commands.DELETE, (m, c) -> LibraryCommands.delete(m, c, jukebox));
        bind(Commands.AUTOPLAY, PartyCommands::autoplay);
        bind(Commands.REGISTER, AccountCommands::register);
        bind(Commands.PASSWORD, AccountCommands::password);
        bind(Commands.CLAIM, LobbyCommands::claim);
        bind(Commands.UNCLAIM, LobbyCommands::unclaim);
        bind(Commands.BAN, LobbyCommands::ban);
        bind(Commands.UNBAN, LobbyCommands::unban);
        bind(Commands.BANS, LobbyCommands::bans);
        bind(Commands.SAY, PartyCommands::say);
        bind(Commands.VOTE, PartyCommands::voteSkip);
        bind(Commands.VOTESHARE, PartyCommands::voteShare);
        bind(Commands.UNQUEUE, PartyCommands::unqueue);
        bind(Commands.MOVE, PartyCommands::move);
        bind(Commands.RENAME, (m, c) -> LibraryCommands.rename(m, c, jukebox));
        bind(Commands.BOARD, BoardCommands::board);
        bind(Commands.OKAY, SessionCommands::okay);
        bind(Commands.ABORT, SessionCommands::abort);
        for (Command<?> command : Commands.all()) {
            if (!handlers.containsKey(command)) {
                throw new IllegalStateException("command " + command.verb() + " is declared but has no handler");
            }
        }
    }

    private <M extends ClientMessage> void bind(Command<? super M> command, CommandHandler<M> handler) {
        handlers.put(command, handler);
    }

    /** Runs the command's handler. The caller has already checked {@link Command#access()}. */
    @SuppressWarnings("unchecked")
    public Reply run(Command<?> command, Message message, CommandContext context) throws Exception {
        CommandHandler<ClientMessage> handler = (CommandHandler<ClientMessage>) handlers.get(command);
        Reply reply = handler.handle((ClientMessage) message, context);
        Member who = context.member();
        if (who != null && STAFF_ACTIONS.contains(command) && !(reply.last() instanceof ServerMessage.Error)) {
            // Refusals throw and never get here: the log holds what was done, not what was tried.
            STAFF.info("staff: {} ({}) in {}: {}", who.username(), who.role(), who.lobby().name(),
                    MessageWriter.line(message));
        }
        return reply;
    }

    /** Why a command is closed to a member's standing (for refusals and HELP). */
    public static String standingRefusal(Command<?> command) {
        return SessionCommands.standingRefusal(command);
    }

    /** The listed commands open to {@code member} (null: not joined yet), in HELP's order. */
    public List<Command<?>> openTo(Member member) {
        List<Command<?>> open = new ArrayList<>();
        for (Command<?> command : Commands.all()) {
            if (!command.listed()) {
                continue;
            }
            boolean allowed = member == null ? command.access().beforeJoin()
                    : member.role() == Role.PENDING ? command.access().whilePending()
                    : command.allows(member.standing(), member.role());
            if (allowed) {
                open.add(command);
            }
        }
        return open;
    }
}
