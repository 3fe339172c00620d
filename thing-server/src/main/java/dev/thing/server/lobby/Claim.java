package dev.thing.server.lobby;

import dev.thing.server.party.QueueEntry;
import java.util.List;
import java.util.Set;

/**
 * A claimed lobby as it is kept across empty periods and restarts.
 *
 * @param name       the lobby's name as spelled when claimed
 * @param ownerId    the owner's account
 * @param owner      the owner's username
 * @param autoplay   the lobby's autoplay setting
 * @param moderators the usernames (keys) of the accounts that are its moderators
 * @param queue      its queue, in play order
 * @param bans       its bans
 */
public record Claim(String name, long ownerId, String owner, boolean autoplay, Set<String> moderators,
                    List<QueueEntry> queue, List<Ban> bans) {
}
