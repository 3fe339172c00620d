package dev.thing.server.lobby;

import dev.thing.protocol.Standing;

/**
 * Who is behind a member, beyond the name: the connection (a guest's uploads belong to it while it lasts), the
 * address it came from (a guest's ban is by name and address), and the account it logged in with, if any.
 *
 * @param connection the connection's number, unique while the server runs
 * @param address    the remote address without its port
 * @param accountId  the account's id, or 0 for a guest
 * @param operator   the account is an operator
 */
public record Identity(long connection, String address, long accountId, boolean operator) {

    public static Identity guest(long connection, String address) {
        return new Identity(connection, address, 0, false);
    }

    public boolean registered() {
        return accountId != 0;
    }

    public Standing standing() {
        return operator ? Standing.OPERATOR : registered() ? Standing.REGISTERED : Standing.GUEST;
    }

    /** The same connection, now logged in to this account. */
    public Identity withAccount(long id, boolean isOperator) {
        return new Identity(connection, address, id, isOperator);
    }
}
