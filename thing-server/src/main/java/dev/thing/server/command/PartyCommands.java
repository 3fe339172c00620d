package dev.thing.server.command;

import dev.thing.server.party.Party;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Names;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.Tokens;
import dev.thing.server.ThingException;
import dev.thing.server.lobby.Lobby;
import dev.thing.server.lobby.Member;
import dev.thing.server.party.PartyException;
import dev.thing.server.party.PartyOutcome;
import dev.thing.server.party.PlaybackClock;
import dev.thing.server.party.QueueEntry;
import dev.thing.server.party.Wish;
import java.util.ArrayList;
import java.util.List;

/** Commands about the party: playback control, the queue, requests and the wanted list, autoplay. */
final class PartyCommands {
    private PartyCommands() {
    }

    static Reply play(ClientMessage.Play message, CommandContext ctx) {
        long position = message.positionMs() == null ? 0 : message.positionMs();
        ctx.lobby().party(ctx.member().username(), ServerMessage.PlaybackAction.PLAY, (p, now, lead) -> p.play(message.song(), position, now, lead));
        return Reply.okay();
    }

    static Reply pause(ClientMessage.Pause message, CommandContext ctx) {
        ctx.lobby().party(ctx.member().username(), ServerMessage.PlaybackAction.PAUSE, (p, now, lead) -> p.pause(now));
        return Reply.okay();
    }

    static Reply resume(ClientMessage.Resume message, CommandContext ctx) {
        ctx.lobby().party(ctx.member().username(), ServerMessage.PlaybackAction.RESUME, (p, now, lead) -> p.resume(now, lead));
        return Reply.okay();
    }

    static Reply seek(ClientMessage.Seek message, CommandContext ctx) {
        ctx.lobby().party(ctx.member().username(), ServerMessage.PlaybackAction.SEEK, (p, now, lead) -> p.seek(message.positionMs(), now, lead));
        return Reply.okay();
    }

    static Reply skip(ClientMessage.Skip message, CommandContext ctx) {
        ctx.lobby().party(ctx.member().username(), ServerMessage.PlaybackAction.SKIP, (p, now, lead) -> p.skip(now, lead));
        return Reply.okay();
    }

    static Reply stop(ClientMessage.Stop message, CommandContext ctx) {
        // Stopping a stopped party changes nothing, so nobody is sent a STOP for it; the OKAY says so (a state that
        // already holds is not an error, RFC 6.5 and 6.23).
        PartyOutcome outcome = ctx.lobby().party(ctx.member().username(), ServerMessage.PlaybackAction.STOP,
                (p, now, lead) -> p.state() == PlaybackClock.State.STOPPED ? PartyOutcome.none() : p.stop());
        return outcome.isEmpty() ? Reply.okay("nothing was playing") : Reply.okay();
    }

    static Reply queue(ClientMessage.ShowQueue message, CommandContext ctx) {
        List<QueueEntry> entries = ctx.lobby().peekParty(p -> p.queue());
        List<ServerMessage> lines = new ArrayList<>();
        int n = 1;
        for (QueueEntry e : entries) {
            lines.add(new ServerMessage.EntryLine(n++, e.songId(), e.title(), e.requestedBy()));
        }
        return Reply.list(lines, "the queue is empty");
    }

    static Reply wanted(ClientMessage.ShowWanted message, CommandContext ctx) {
        List<ServerMessage> lines = new ArrayList<>();
        for (Wish w : ctx.services().wanted().list()) {
            lines.add(new ServerMessage.WishLine(w.title(), w.artist() == null ? "" : w.artist(), w.username(),
                    w.lobby()));
        }
        return Reply.list(lines, "nothing is wanted");
    }

    /**
     * Queues a song from the library; a title the library lacks goes on the wanted list, and the ADMIN and
     * MODERATORs hear of it.
     */
    static Reply request(ClientMessage.Request message, CommandContext ctx) {
        Member member = ctx.member();
        Lobby lobby = ctx.lobby();
        try {
            lobby.party((p, now, lead) -> p.request(message.song(), member.username(), now, lead));
            return Reply.okay();
        } catch (PartyException e) {
            if (e.reason() != PartyException.Reason.NO_SUCH_SONG) {
                throw e;
            }
        }
        if (Names.SONG_ID.matcher(message.song()).matches()) {
            throw new ThingException(ErrorCode.NO_SUCH_SONG, "no song " + message.song()
                    + " in the library; request songs that are not there yet by title");
        }
        String artist = message.artist() == null ? "" : message.artist();
        String title = Tokens.quote(message.song());
        java.util.Optional<Wish> already = ctx.services().wanted().list().stream()
                .filter(w -> w.fulfilledSongId().isEmpty() && Names.key(w.lobby()).equals(Names.key(lobby.name()))
                        && dev.thing.server.party.WantedList.titleKey(w.title())
                        .equals(dev.thing.server.party.WantedList.titleKey(message.song())))
                .findFirst();
        if (already.isPresent() && Names.key(already.get().username()).equals(Names.key(member.username()))) {
            throw new ThingException(ErrorCode.DUPLICATE, "you already asked for "
                    + Tokens.quote(already.get().title()) + "; it will be queued in " + lobby.name() + " when uploaded");
        }
        if (already.isPresent()) {
            // Someone here asked first: the second request joins that wish rather than failing (RFC 6.15). The wish
            // keeps its first requester, in whose turn the song is queued when it arrives.
            member.send(new ServerMessage.Notify(Tokens.quote(already.get().title()) + " is already wanted in "
                    + lobby.name() + " (asked for by " + already.get().username() + "); it will be queued when uploaded"));
            return Reply.okay();
        }
        ctx.services().wanted().add(message.song(), artist, lobby.name(), member.username(),
                ctx.services().time().epochMicros());
        String by = artist.isEmpty() ? "" : " by " + artist;
        member.send(new ServerMessage.Notify(title + " is not in the library; it is now wanted and will be "
                + "queued in " + lobby.name() + " when uploaded"));
        lobby.tellModerators(member.username() + " wants " + title + by + ", which is not in the library");
        return Reply.okay();
    }

    /** Removes a wish from the wanted list: the wisher's own, or any of the lobby's for its staff. */
    static Reply unwant(ClientMessage.Unwant message, CommandContext ctx) {
        Member member = ctx.member();
        Lobby lobby = ctx.lobby();
        Wish wish = ctx.services().wanted().unwant(message.song(), lobby.name(), member.username(),
                member.role().canModerate());
        if (!Names.key(wish.username()).equals(Names.key(member.username()))) {
            lobby.member(wish.username()).ifPresent(m -> m.send(new ServerMessage.Notify(member.username()
                    + " removed your wish " + Tokens.quote(wish.title()) + " from the wanted list")));
        }
        return Reply.okay();
    }

    /** {@code SAY}: chat to the lobby (the lobby keeps the rate and the history). */
    static Reply say(ClientMessage.Say message, CommandContext ctx) {
        ctx.lobby().say(ctx.member(), message.text());
        return Reply.okay();
    }

    /** {@code VOTE SKIP}: enough votes skip the song, as SKIP would. */
    static Reply voteSkip(ClientMessage.VoteSkip message, CommandContext ctx) {
        Lobby lobby = ctx.lobby();
        lobby.party((p, now, lead) -> p.voteSkip(ctx.member().username(), lobby.memberCount(), now, lead));
        return Reply.okay();
    }

    /** {@code VOTESHARE [<percent>]}: shows or sets the share skip votes must pass. */
    static Reply voteShare(ClientMessage.VoteShare message, CommandContext ctx) {
        Lobby lobby = ctx.lobby();
        if (message.percent() == null) {
            return Reply.data(List.of(new ServerMessage.VoteShareLine(lobby.peekParty(Party::voteShare))));
        }
        lobby.party((p, now, lead) -> p.setVoteShare(message.percent(), ctx.member().username(),
                lobby.memberCount(), now, lead));
        return Reply.okay();
    }

    /** {@code UNQUEUE <position>}: the entry's requester, or staff. */
    static Reply unqueue(ClientMessage.Unqueue message, CommandContext ctx) {
        Member member = ctx.member();
        ctx.lobby().party((p, now, lead) -> p.unqueue(message.position(), member.username(),
                member.role().canModerate()));
        return Reply.okay();
    }

    /** {@code MOVE <position> <new-position>} (staff). */
    static Reply move(ClientMessage.Move message, CommandContext ctx) {
        ctx.lobby().party((p, now, lead) -> p.move(message.position(), message.newPosition(),
                ctx.member().username()));
        return Reply.okay();
    }

    static Reply autoplay(ClientMessage.Autoplay message, CommandContext ctx) {
        Lobby lobby = ctx.lobby();
        if (message.on() == null) {
            boolean on = lobby.peekParty(p -> p.autoplay());
            return Reply.data(List.of(new ServerMessage.AutoplayLine(on)));
        }
        lobby.peekParty(p -> {
            p.setAutoplay(message.on());
            return null;
        });
        lobby.tell(ctx.member().username() + " turned autoplay " + (message.on() ? "on" : "off"));
        ctx.services().lobbies().autoplayChanged(lobby, message.on());
        return Reply.okay().then(() -> lobby.party(Party::wake));
    }
}
