package dev.thing.protocol;

import java.util.List;

/**
 * One client command, declared once: its verb, its syntax (how its arguments parse into the typed message and
 * how the message is written back), its help line, and who may use it. The server binds a handler to each
 * declaration; the parser, the writer, HELP and the permission checks all read the declaration.
 *
 * @param verb    the first token, upper case
 * @param type    the message it parses to
 * @param usage   the syntax as HELP shows it
 * @param summary what it does, as HELP shows it
 * @param access  who may use it by state and role (checked before the handler runs)
 * @param standings the standings (guest, registered, operator) it is open to, also checked before the handler
 */
public record Command<M extends Message>(String verb, Class<M> type, String usage, String summary, Access access,
                                         Parser<M> parser, Writer<M> writer, java.util.Set<Standing> standings) {

    /** May a member of this standing and role use it? An operator acts as the admin whatever its role. */
    public boolean allows(Standing standing, Role role) {
        if (!standings.contains(standing)) {
            return false;
        }
        if (standing == Standing.OPERATOR && role != Role.PENDING) {
            return access.allows(Role.ADMIN);
        }
        return access.allows(role);
    }

    /** Arguments (the tokens after the verb) to the message; a {@link ProtocolException} for malformed ones. */
    @FunctionalInterface
    public interface Parser<M> {
        M parse(List<String> args, String usage) throws ProtocolException;
    }

    /** The tokens after the verb, unquoted: the writer quotes them. */
    @FunctionalInterface
    public interface Writer<M> {
        List<String> args(M message);
    }

    public M parse(List<String> args) throws ProtocolException {
        return parser.parse(args, usage);
    }

    /** False for the lines HELP does not list (a PING's OKAY, ABORT outside a transfer). */
    public boolean listed() {
        return summary != null;
    }

    @SuppressWarnings("unchecked")
    public String write(Message message) {
        List<String> args = writer.args((M) message);
        StringBuilder line = new StringBuilder(verb);
        for (String arg : args) {
            line.append(' ').append(Tokens.quote(arg));
        }
        return line.toString();
    }

    /** The help line: usage, then the summary (for listed commands). */
    public String helpLine() {
        return usage + " - " + summary;
    }
}
