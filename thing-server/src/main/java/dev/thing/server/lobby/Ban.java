package dev.thing.server.lobby;

/**
 * A name barred from a lobby: a registered account's name (whoever logs in to it, from anywhere), or a guest's
 * name from one address.
 *
 * @param username  the name as it was spelled
 * @param accountId the account barred, or 0 for a guest's name
 * @param address   the guest's address (null for an account)
 * @param bannedBy  who banned it
 * @param atUs      when, in microseconds since the epoch
 */
public record Ban(String username, long accountId, String address, String bannedBy, long atUs) {

    /** Does this ban keep out a joiner with this name and identity? */
    public boolean bars(String name, Identity who) {
        if (!dev.thing.protocol.Names.key(name).equals(dev.thing.protocol.Names.key(username))) {
            return false;
        }
        return accountId != 0 ? who.accountId() == accountId : address != null && address.equals(who.address());
    }

    /** For BANS: "account", or the address of a guest's ban. */
    public String scope() {
        return accountId != 0 ? "account" : address;
    }
}
