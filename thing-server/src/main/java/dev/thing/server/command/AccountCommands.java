package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.ThingException;
import dev.thing.server.account.Account;
import dev.thing.server.account.Accounts;
import dev.thing.server.lobby.Member;
import java.util.OptionalLong;

/** Commands about the caller's account: REGISTER and PASSWORD. The gate has checked the caller's standing. */
final class AccountCommands {
    private AccountCommands() {
    }

    static Reply register(ClientMessage.Register message, CommandContext ctx) {
        Member member = ctx.requireMember();
        Accounts accounts = ctx.services().requireAccounts();
        Account account = accounts.register(member.username(), message.password());
        ctx.services().lobbies().loggedIn(member, member.identity().withAccount(account.id(), account.operator()));
        ctx.services().owners().registered(member.identity().connection(), account.id());
        member.send(new ServerMessage.Notify(member.username() + " is registered: from now on join with <lobby> "
                + member.username() + " <password>"));
        return Reply.okay();
    }

    static Reply password(ClientMessage.ChangePassword message, CommandContext ctx) {
        Member member = ctx.requireMember();
        Accounts accounts = ctx.services().requireAccounts();
        String address = member.identity().address();
        OptionalLong locked = ctx.services().throttle().lockedFor(member.username(), address);
        if (locked.isPresent()) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "too many wrong passwords for " + member.username()
                    + "; try again in " + locked.getAsLong() + " s");
        }
        try {
            accounts.changePassword(member.username(), message.oldPassword(), message.newPassword());
        } catch (RuntimeException e) {
            if (e instanceof dev.thing.server.Failure f && f.errorCode() == ErrorCode.NOT_ALLOWED) {
                ctx.services().throttle().failed(member.username(), address);
            }
            throw e;
        }
        ctx.services().throttle().succeeded(member.username());
        return Reply.okay();
    }
}
