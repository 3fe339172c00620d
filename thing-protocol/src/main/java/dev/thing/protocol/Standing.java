package dev.thing.protocol;

/**
 * Who a member is on the server, beside their role in the lobby: a guest (a name without a password), the holder
 * of a registered account (joined with its password), or an operator (an account the server's owner marked).
 */
public enum Standing {
    GUEST, REGISTERED, OPERATOR;

    /** For refusals: "a guest", "a registered user", "an operator". */
    public String describe() {
        return switch (this) {
            case GUEST -> "a guest";
            case REGISTERED -> "a registered user";
            case OPERATOR -> "an operator";
        };
    }
}
