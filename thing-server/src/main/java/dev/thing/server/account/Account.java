package dev.thing.server.account;

/** A registered username. */
public record Account(long id, String username, boolean operator) {
}
