package dev.thing.server.command;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Role;
import dev.thing.protocol.Tokens;
import dev.thing.server.ThingException;
import dev.thing.server.account.SongOwners.Owner;
import dev.thing.server.library.Song;
import dev.thing.server.lobby.Identity;
import dev.thing.server.lobby.Member;

/**
 * The one rule for changing a song (SONG ... SET, DELETE): its uploader's account, the guest connection that
 * uploaded it while that lasts, or an operator. A song with no owner (uploaded before ownership was recorded, or
 * by a guest who left) is the operators'. With {@code --trusted-admins} any lobby admin may change any song, as
 * before accounts existed.
 */
final class SongRights {
    private SongRights() {
    }

    static void requireMayChange(Song song, Member member, CommandContext ctx) {
        Identity who = member.identity();
        if (who.operator()) {
            return;
        }
        if (ctx.services().config().trustedAdmins() && member.role() == Role.ADMIN) {
            return;
        }
        Owner owner = ctx.services().owners().of(song.id());
        String title = Tokens.quote(song.title());
        if (owner instanceof Owner.ByAccount a) {
            if (who.registered() && who.accountId() == a.accountId()) {
                return;
            }
            throw new ThingException(ErrorCode.NOT_ALLOWED, title + " was uploaded by " + a.username() + "; only "
                    + a.username() + " or an operator may change it");
        }
        if (owner instanceof Owner.ByGuest g) {
            if (g.connection() == who.connection()) {
                return;
            }
            throw new ThingException(ErrorCode.NOT_ALLOWED, title + " was uploaded by " + g.username()
                    + " (a guest); only that connection or an operator may change it");
        }
        throw new ThingException(ErrorCode.NOT_ALLOWED, title + " has no recorded uploader; only an operator may "
                + "change it");
    }
}
