package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every command, sent over a real socket by every standing (guest, registered, operator) in every role (PENDING,
 * USER, MODERATOR, ADMIN), checked against the RFC's standing table (Section 4.11), which this test parses, so
 * the RFC and the server cannot disagree. Each command's arguments are chosen so that an allowed command fails
 * harmlessly after the permission check (no such song, no such user, a malformed argument), and the users it
 * names are in another lobby: every allowed targeted command must answer NO_SUCH_USER and leave that lobby alone.
 */
class PermissionMatrixTest extends ServerTestBase {
    static final List<String> COLUMNS = List.of("GP", "GU", "GM", "GA", "RP", "RU", "RM", "RA", "OU", "OM", "OA");

    /** The line each command is probed with. */
    static final Map<String, String> PROBES = new LinkedHashMap<>();

    static {
        PROBES.put("HELP", "HELP");
        PROBES.put("CAP", "CAP");
        PROBES.put("LOBBIES", "LOBBIES");
        PROBES.put("USERS", "USERS");
        PROBES.put("LIST", "LIST");
        PROBES.put("GET", "GET #999999");
        PROBES.put("TIME", "TIME");
        PROBES.put("REQUEST", "REQUEST #999999");
        PROBES.put("QUEUE", "QUEUE");
        PROBES.put("WANTED", "WANTED");
        PROBES.put("UNWANT", "UNWANT no-such-wish");
        PROBES.put("ACCEPT", "ACCEPT zed");
        PROBES.put("REJECT", "REJECT zed");
        PROBES.put("PLAY", "PLAY #999999");
        PROBES.put("PAUSE", "PAUSE");
        PROBES.put("RESUME", "RESUME");
        PROBES.put("SEEK", "SEEK 0");
        PROBES.put("SKIP", "SKIP");
        PROBES.put("STOP", "STOP");
        PROBES.put("KICK", "KICK zed");
        PROBES.put("PROMOTE", "PROMOTE zed");
        PROBES.put("DEMOTE", "DEMOTE zed");
        PROBES.put("SEND", "SEND #12");
        PROBES.put("SONG", "SONG #999999 SET ARTIST x");
        PROBES.put("DELETE", "DELETE #999999");
        PROBES.put("AUTOPLAY", "AUTOPLAY");
        PROBES.put("SAY", "SAY hello from the matrix");
        PROBES.put("VOTE", "VOTE SKIP");
        PROBES.put("VOTESHARE", "VOTESHARE");
        PROBES.put("UNQUEUE", "UNQUEUE 99");
        PROBES.put("MOVE", "MOVE 98 99");
        PROBES.put("RENAME", "RENAME #999999 x");
        PROBES.put("REGISTER", "REGISTER short");
        PROBES.put("PASSWORD", "PASSWORD a b");
        PROBES.put("CLAIM", "CLAIM now");
        PROBES.put("UNCLAIM", "UNCLAIM now");
        PROBES.put("BAN", "BAN zed");
        PROBES.put("UNBAN", "UNBAN zed");
        PROBES.put("BANS", "BANS");
        PROBES.put("BOARD", "BOARD");
        PROBES.put("QUIT", "QUIT"); // last: it closes the connection
    }

    static Map<String, String[]> standingTable() throws Exception {
        List<String> rfc = Files.readAllLines(Path.of("..", "rfc", "thing-protocol-1.0.txt"));
        int start = rfc.indexOf(rfc.stream().filter(l -> l.strip().startsWith("Command ") && l.contains(" GP "))
                .findFirst().orElseThrow());
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (int i = start + 2; i < rfc.size() && !rfc.get(i).isBlank(); i++) {
            String line = rfc.get(i).strip();
            rows.put(line.split("\\s+")[0], line.substring(19).trim().split("\\s+"));
        }
        return rows;
    }

    private void register(String user) {
        TelnetClient c = admin("reg-" + user, user);
        c.okay("REGISTER pass-" + user);
        c.okay("QUIT");
    }

    private TelnetClient login(String lobby, String user) {
        TelnetClient c = connect(user);
        c.send(lobby + " " + user + " pass-" + user);
        return c;
    }

    /** Joins and waits to be accepted by {@code admin}. */
    private TelnetClient accepted(TelnetClient admin, TelnetClient joiner, String lobby, String user) {
        admin.skipUntilLine("NOTIFY " + user + " asks to join " + lobby + ": ACCEPT " + user + " or REJECT " + user);
        admin.okay("ACCEPT " + user);
        joiner.skipUntil(l -> l.matches(TelnetClient.JOIN_OKAY));
        return joiner;
    }

    @Test
    void everyCommandByEveryStandingAndRoleIsAllowedExactlyWhereTheRfcSays() throws Exception {
        start();
        Map<String, String[]> table = standingTable();
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(PROBES.keySet());
        for (String user : List.of("radm", "rmod", "rusr", "rpen", "oadm", "omod", "ousr")) {
            register(user);
        }
        for (String op : List.of("oadm", "omod", "ousr")) {
            assertThat(server.accounts().setOperator(op, true)).isTrue();
        }
        TelnetClient zed = admin("far", "zed");

        Map<String, TelnetClient> columns = new LinkedHashMap<>();
        TelnetClient gadm = admin("lg", "gadm");
        TelnetClient gmod = member(gadm, "lg", "gmod");
        gadm.okay("PROMOTE gmod");
        TelnetClient gusr = member(gadm, "lg", "gusr");
        TelnetClient gpen = pending(gadm, "lg", "gpen");
        columns.put("GP", gpen);
        columns.put("GU", gusr);
        columns.put("GM", gmod);
        columns.put("GA", gadm);

        TelnetClient radm = login("lr", "radm");
        radm.expectJoinOkay();
        TelnetClient rmod = accepted(radm, login("lr", "rmod"), "lr", "rmod");
        radm.okay("PROMOTE rmod");
        TelnetClient rusr = accepted(radm, login("lr", "rusr"), "lr", "rusr");
        TelnetClient rpen = login("lr", "rpen");
        rpen.expectLine("NOTIFY waiting for approval to join lr");
        radm.skipUntilLine("NOTIFY rpen asks to join lr: ACCEPT rpen or REJECT rpen");
        columns.put("RP", rpen);
        columns.put("RU", rusr);
        columns.put("RM", rmod);
        columns.put("RA", radm);

        TelnetClient oadm = login("lo", "oadm");
        oadm.expectJoinOkay();
        TelnetClient omod = login("lo", "omod");
        omod.expectJoinOkay();
        TelnetClient ousr = login("lo", "ousr");
        ousr.expectJoinOkay();
        oadm.okay("DEMOTE ousr");
        columns.put("OU", ousr);
        columns.put("OM", omod);
        columns.put("OA", oadm);
        for (Map.Entry<String, TelnetClient> column : columns.entrySet()) {
            String role = switch (column.getKey().charAt(1)) {
                case 'P' -> "PENDING";
                case 'U' -> "USER";
                case 'M' -> "MODERATOR";
                default -> "ADMIN";
            };
            if (!role.equals("PENDING")) {
                String name = column.getValue().name();
                assertThat(column.getValue().command("USERS").data()).as("%s's role", name)
                        .anySatisfy(l -> assertThat(l).startsWith("USER " + name + " " + role + " "));
            }
        }

        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, String> probe : PROBES.entrySet()) {
            String verb = probe.getKey();
            String[] cells = table.get(verb);
            for (int i = 0; i < COLUMNS.size(); i++) {
                TelnetClient who = columns.get(COLUMNS.get(i));
                String reply = who.command(probe.getValue()).last();
                boolean refused = reply.startsWith("ERROR PENDING ")
                        || reply.startsWith("ERROR NOT_ALLOWED " + verb + " is for ");
                boolean expectRefused = cells[i].equals("-");
                if (refused != expectRefused) {
                    disagreements.add(verb + " by " + COLUMNS.get(i) + ": RFC says " + cells[i] + ", server said "
                            + reply);
                }
                if (!refused && probe.getValue().endsWith(" zed")) {
                    assertThat(reply).as("%s by %s names a user of another lobby", verb, COLUMNS.get(i))
                            .startsWith("ERROR NO_SUCH_USER");
                }
                checked++;
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(checked).isEqualTo(PROBES.size() * COLUMNS.size());
        assertThat(zed.command("USERS").data()).as("the other lobby was not touched").containsExactly("USER zed ADMIN -");
        assertThat(zed.command("BANS").unsolicited()).containsExactly("NOTIFY no bans in far");
    }
}
