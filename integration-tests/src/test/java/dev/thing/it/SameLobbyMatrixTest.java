package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The other half of the permission matrix (PermissionMatrixTest sends every command by every standing and role
 * against users of another lobby): every command that acts on a person, sent by every standing (guest, registered,
 * operator) in every role (USER, MODERATOR, ADMIN) against a member of the same lobby in every role (PENDING, USER,
 * MODERATOR, ADMIN), each case in a fresh lobby. For each case the test checks both the reply and what the lobby
 * looks like afterwards: a command that is allowed did exactly its job, one that is refused changed nothing. The
 * expected outcome is read from the RFC's table of targets (end of Section 4.11), so the two cannot disagree.
 */
class SameLobbyMatrixTest extends ServerTestBase {
    static final List<String> VERBS = List.of("ACCEPT", "REJECT", "KICK", "BAN", "PROMOTE", "DEMOTE");
    static final List<String> ACTORS = List.of("GU", "GM", "GA", "RU", "RM", "RA", "OU", "OM", "OA");
    static final List<String> TARGETS = List.of("PENDING", "USER", "MODERATOR", "ADMIN");

    /** The RFC's table of targets (end of Section 4.11): verb -> who ("M", "A", "O") -> cells by target role. */
    static Map<String, Map<String, String[]>> targetTable() throws java.io.IOException {
        List<String> rfc = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "rfc",
                "thing-protocol-1.0.txt"));
        int header = -1;
        for (int i = 0; i < rfc.size(); i++) {
            if (rfc.get(i).strip().matches("Command\\s+by\\s+PENDING\\s+USER\\s+MODERATOR\\s+ADMIN")) {
                header = i;
            }
        }
        assertThat(header).as("the RFC's table of targets").isPositive();
        Map<String, Map<String, String[]>> table = new TreeMap<>();
        for (int i = header + 2; i < rfc.size() && !rfc.get(i).isBlank(); i++) {
            String[] f = rfc.get(i).strip().split("\\s{2,}");
            assertThat(f).as("row %s", rfc.get(i)).hasSize(6);
            for (String who : f[1].split(",\\s*")) {
                table.computeIfAbsent(f[0], k -> new TreeMap<>()).put(who, java.util.Arrays.copyOfRange(f, 2, 6));
            }
        }
        return table;
    }

    /**
     * What the table says of {@code verb} by {@code actor} (a column such as "GM" or "OU") against a member in
     * {@code target}'s role: a USER (or any role without a row) acts on nobody; "(1)" allows it unless the operator is
     * that ADMIN itself.
     */
    static boolean allowed(Map<String, Map<String, String[]>> table, String verb, String actor, String target) {
        boolean operator = actor.charAt(0) == 'O';
        char role = actor.charAt(1);
        String who = operator ? "O" : String.valueOf(role);
        String[] cells = table.getOrDefault(verb, Map.of()).get(who);
        if (cells == null) {
            return false;
        }
        String cell = cells[TARGETS.indexOf(target)];
        return cell.equals("yes") || (cell.equals("(1)") && role != 'A');
    }

    private int lobbies;

    /** A join line sent and its OKAY (bare or with words) awaited; the lines before it are skipped. */
    private static void joined(TelnetClient c) {
        c.skipUntil(l -> l.equals("OKAY") || l.startsWith("OKAY "));
    }

    private TelnetClient join(String lobby, String user) {
        TelnetClient c = connect(user);
        c.send(lobby + " " + user + (user.charAt(0) == 'g' || user.startsWith("t") || user.startsWith("h") ? ""
                : " password-" + user));
        return c;
    }

    /** Joins and waits until the join is being considered (pending). */
    private TelnetClient pendingIn(String lobby, String user) {
        TelnetClient c = join(lobby, user);
        c.skipUntilLine("NOTIFY waiting for approval to join " + lobby);
        assertThat(c.command("HELP").last()).isEqualTo("OKAY");
        return c;
    }

    private TelnetClient acceptedIn(TelnetClient admin, String lobby, String user) {
        TelnetClient c = pendingIn(lobby, user);
        assertThat(admin.command("ACCEPT " + user).last()).startsWith("OKAY");
        joined(c);
        return c;
    }

    /** Each member's role as USERS shows it to {@code viewer}; pending joiners as PENDING. */
    private static Map<String, String> roles(TelnetClient viewer) {
        Map<String, String> roles = new TreeMap<>();
        for (String line : viewer.command("USERS").data()) {
            String[] f = line.split(" ");
            roles.put(f[1], f[2]);
        }
        return roles;
    }

    private record Case(String lobby, TelnetClient actor, TelnetClient viewer, String target, List<TelnetClient> all) {
    }

    /**
     * A fresh lobby with a host (its ADMIN, unless the actor is), the actor in its role and the target {@code tg}
     * in its role (the ADMIN target is the host, or the actor itself when the actor is the ADMIN).
     */
    private Case setUp(String actorColumn, String targetRole) {
        String lobby = "m" + (++lobbies);
        String actorName = actorColumn.toLowerCase();
        char role = actorColumn.charAt(1);
        boolean operator = actorColumn.charAt(0) == 'O';
        List<TelnetClient> all = new ArrayList<>();
        TelnetClient host;
        TelnetClient actor;
        if (role == 'A') {
            actor = join(lobby, actorName);
            joined(actor);
            host = actor;
        } else {
            host = join(lobby, "hh");
            joined(host);
            all.add(host);
            if (operator) {
                actor = join(lobby, actorName); // an operator walks in, as a MODERATOR
                joined(actor);
                if (role == 'U') {
                    assertThat(host.command("DEMOTE " + actorName).last()).startsWith("OKAY");
                }
            } else {
                actor = acceptedIn(host, lobby, actorName);
                if (role == 'M') {
                    assertThat(host.command("PROMOTE " + actorName).last()).startsWith("OKAY");
                }
            }
        }
        all.add(actor);
        String target;
        if (targetRole.equals("ADMIN")) {
            target = host == actor ? actorName : "hh";
        } else {
            target = "tg";
            TelnetClient t = targetRole.equals("PENDING") ? pendingIn(lobby, "tg") : acceptedIn(host, lobby, "tg");
            all.add(t);
            if (targetRole.equals("MODERATOR")) {
                assertThat(host.command("PROMOTE tg").last()).startsWith("OKAY");
            }
        }
        Map<String, String> before = roles(host);
        assertThat(Optional.ofNullable(before.get(target))).as("%s's role in %s", target, lobby).hasValue(targetRole);
        assertThat(before.get(actorName)).as("%s's role", actorName).isEqualTo(switch (role) {
            case 'U' -> "USER";
            case 'M' -> "MODERATOR";
            default -> "ADMIN";
        });
        // The host watches the outcome, unless it is the target: then the actor does.
        return new Case(lobby, actor, target.equals("hh") ? actor : host, target, all);
    }

    /** What the lobby must look like after the command, if it was allowed. */
    private static Optional<String> roleAfter(String verb) {
        return switch (verb) {
            case "ACCEPT", "DEMOTE" -> Optional.of("USER");
            case "PROMOTE" -> Optional.of("MODERATOR");
            default -> Optional.empty(); // REJECT, KICK, BAN: gone
        };
    }

    private void register(String user) {
        TelnetClient c = admin("reg-" + user, user);
        c.okay("REGISTER password-" + user);
        c.okay("QUIT");
    }

    @Test
    void everyCommandOnAPersonByEveryStandingAndRoleAgainstEveryRoleInTheSameLobby() throws Exception {
        Map<String, Map<String, String[]>> table = targetTable();
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(VERBS);
        start();
        for (String user : List.of("ra", "rm", "ru", "oa", "om", "ou")) {
            register(user);
        }
        for (String op : List.of("oa", "om", "ou")) {
            assertThat(server.accounts().setOperator(op, true)).isTrue();
        }

        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        int allowedCount = 0;
        for (String verb : VERBS) {
            for (String actorColumn : ACTORS) {
                for (String targetRole : TARGETS) {
                    Case c = setUp(actorColumn, targetRole);
                    Map<String, String> before = roles(c.viewer());
                    String reply = c.actor().command(verb + " " + c.target()).last();
                    boolean expected = allowed(table, verb, actorColumn, targetRole);
                    boolean acted = reply.equals("OKAY") || reply.startsWith("OKAY ");
                    String what = verb + " by " + actorColumn + " against " + targetRole;
                    if (acted != expected) {
                        disagreements.add(what + ": expected " + (expected ? "allowed" : "refused") + ", server said "
                                + reply);
                    }
                    if (!acted) {
                        assertThat(reply).as(what).startsWith("ERROR ");
                    }
                    Map<String, String> after;
                    try {
                        after = roles(c.viewer());
                    } catch (AssertionError e) {
                        throw new AssertionError(what + " (" + reply + "): the watcher " + c.viewer().name()
                                + " could not read USERS afterwards", e);
                    }
                    Map<String, String> wanted = new TreeMap<>(before);
                    if (acted) {
                        Optional<String> role = roleAfter(verb);
                        if (role.isPresent()) {
                            wanted.put(c.target(), role.get());
                        } else {
                            wanted.remove(c.target());
                            if (targetRole.equals("ADMIN")) {
                                // The admin's role passes on to who is left (4.3): here, the actor alone.
                                assertThat(wanted).as(what).hasSize(1);
                                wanted.replaceAll((name, r) -> "ADMIN");
                            }
                        }
                    }
                    assertThat(after).as("%s (%s): the lobby afterwards", what, reply).isEqualTo(wanted);
                    checked++;
                    allowedCount += expected ? 1 : 0;
                    for (TelnetClient t : c.all()) {
                        t.close();
                    }
                    eventually("lobby " + c.lobby() + " closed after its case",
                            () -> server.lobbies().lobby(c.lobby()).isEmpty());
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(checked).isEqualTo(VERBS.size() * ACTORS.size() * TARGETS.size());
        assertThat(allowedCount).as("the rule allows some and refuses some").isBetween(40, 120);
    }
}
