package dev.thing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
    static ServerConfig parse(String... args) throws ParseException {
        return Main.parse(new DefaultParser().parse(Main.options(), args));
    }

    @Test
    void noOptionsGiveTheDefaults() throws Exception {
        assertThat(parse()).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void theDefaultsAreThoseOfTheProtocol() {
        ServerConfig d = ServerConfig.defaults();
        assertThat(d.bind().getPort()).isEqualTo(7717);
        assertThat(d.bind().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(d.maxLineBytes()).isEqualTo(4096);
        assertThat(d.maxUploadBytes()).isEqualTo(64L << 20);
        assertThat(d.maxConnections()).isEqualTo(10_000);
        assertThat(d.maxLobbies()).isEqualTo(1_000);
        assertThat(d.maxPending()).isEqualTo(100);
        assertThat(d.handshakeTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.approvalTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.rateBurst()).isEqualTo(50);
        assertThat(d.ratePerSecond()).isEqualTo(20.0);
        assertThat(d.maxUnsentBytes()).isEqualTo(1L << 20);
        assertThat(d.maxQueue()).isEqualTo(100);
        assertThat(d.maxWanted()).isEqualTo(1_000);
        assertThat(d.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.autoplay()).isFalse();
        assertThat(d.trustedAdmins()).as("the default protects songs").isFalse();
        assertThat(d.passwordIterations()).isEqualTo(600_000);
        assertThat(d.maxConnectionsPerAddress()).isEqualTo(16);
        assertThat(d.maxJoinsPerMinute()).isEqualTo(30);
        assertThat(d.limitLoopback()).isFalse();
        assertThat(d.tls()).isNull();
        assertThat(d.rejoinGrace()).as("a dropped member's place is kept").isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void rejoinGraceIsSecondsAndZeroTurnsItOff() throws Exception {
        assertThat(parse("--rejoin-grace", "45").rejoinGrace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(parse("--rejoin-grace", "0").rejoinGrace()).isEqualTo(Duration.ZERO);
    }

    @Test
    void perAddressLimitsAndLimitLoopbackSetTheirFields() throws Exception {
        ServerConfig c = parse("--max-connections-per-address", "4", "--max-joins-per-minute", "7", "--limit-loopback");

        assertThat(c.maxConnectionsPerAddress()).isEqualTo(4);
        assertThat(c.maxJoinsPerMinute()).isEqualTo(7);
        assertThat(c.limitLoopback()).isTrue();
        assertThatThrownBy(() -> parse("--max-connections-per-address", "0"))
                .hasMessage("--max-connections-per-address must be between 1 and 1000000, not 0");
    }

    @Test
    void tlsIsOffUnlessTlsPortIsGivenAndListensWhereBindSaysByDefault() throws Exception {
        ServerConfig c = parse("--bind", "127.0.0.1", "--tls-port", "7718");

        assertThat(c.tls().bind()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7718));
        assertThat(c.tls().selfSigned()).isTrue();
        assertThat(parse("--tls-port", "7718", "--tls-bind", "::1").tls().bind())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 7718));
        ServerConfig pem = parse("--tls-port", "7718", "--tls-cert", "c.pem", "--tls-key", "k.pem");
        assertThat(pem.tls().certFile()).isEqualTo(Path.of("c.pem"));
        assertThat(pem.tls().keyFile()).isEqualTo(Path.of("k.pem"));
        assertThat(pem.tls().selfSigned()).isFalse();
    }

    @Test
    void tlsOptionsThatCannotWorkAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> parse("--tls-cert", "c.pem", "--tls-key", "k.pem"))
                .hasMessageContaining("need --tls-port");
        assertThatThrownBy(() -> parse("--tls-port", "7718", "--tls-cert", "c.pem"))
                .hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> parse("--tls-port", "7718", "--tls-key", "k.pem"))
                .hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> parse("--tls-port", "7717"))
                .hasMessageContaining("is the plain port too");
        assertThatThrownBy(() -> parse("--tls-port", "70000")).hasMessageContaining("between 0 and 65535");
    }

    @Test
    void httpsServesThePageOnTheTlsCertificateAndListensWhereHttpBindSaysByDefault() throws Exception {
        ServerConfig only = parse("--http-bind", "127.0.0.1", "--https-port", "8443");
        assertThat(only.tls().bind()).as("no line-protocol TLS listener without --tls-port").isNull();
        assertThat(only.tls().httpsBind())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8443));
        assertThat(only.tls().selfSigned()).isTrue();

        ServerConfig both = parse("--tls-port", "7718", "--https-port", "8443", "--https-bind", "::1",
                "--tls-cert", "c.pem", "--tls-key", "k.pem");
        assertThat(both.tls().bind().getPort()).isEqualTo(7718);
        assertThat(both.tls().httpsBind()).isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 8443));
        assertThat(both.tls().certFile()).isEqualTo(Path.of("c.pem"));
        assertThat(parse("--tls-port", "7718").tls().httpsBind().getPort())
                .as("with TLS on, the page is offered over HTTPS on 8443 too").isEqualTo(Main.DEFAULT_HTTPS_PORT);
        assertThat(parse("--tls-port", "7718", "--https-port", "0").tls().httpsBind()).as("0 turns it off").isNull();
        assertThat(parse("--tls-port", "7718", "--http-port", "0").tls().httpsBind())
                .as("no page, no HTTPS page").isNull();
        assertThat(parse("--https-port", "0").tls()).as("nothing of TLS asked for").isNull();
        assertThat(parse("--http-port", "0", "--https-port", "8443").tls().httpsBind().getPort()).isEqualTo(8443);
    }

    @Test
    void httpsOptionsThatCannotWorkAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> parse("--https-bind", "127.0.0.1"))
                .hasMessage("--https-bind needs --https-port or --tls-port (HTTPS is off without them)");
        assertThatThrownBy(() -> parse("--https-port", "8080"))
                .hasMessageContaining("is the HTTP port too");
        assertThatThrownBy(() -> parse("--https-port", "8443", "--tls-port", "8443"))
                .hasMessageContaining("is the TLS port too");
        assertThatThrownBy(() -> parse("--https-port", "8443", "--tls-cert", "c.pem"))
                .hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> parse("--https-port", "-1")).hasMessageContaining("between 0 and 65535");
    }

    @Test
    void trustedAdminsIsAFlag() throws Exception {
        assertThat(parse("--trusted-admins").trustedAdmins()).isTrue();
    }

    @Test
    void grantAndRevokeOperatorActOnTheDatabaseAndExit(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path db = dir.resolve("lib").resolve("thing.db");
        try (dev.thing.server.account.Accounts accounts = dev.thing.server.account.Accounts.open(
                dir.resolve("prep.db"), new dev.thing.server.account.PasswordHasher(1000), () -> 0L)) {
            accounts.register("unused", "not-this-db");
        }
        String lib = dir.resolve("lib").toString();
        assertThat(Main.run(new String[] {"--library", lib, "--grant-operator", "otto"})).as("no such account")
                .isEqualTo(1);
        try (dev.thing.server.account.Accounts accounts = dev.thing.server.account.Accounts.open(db,
                new dev.thing.server.account.PasswordHasher(1000), () -> 0L)) {
            accounts.register("otto", "operator-pass");
        }
        assertThat(Main.run(new String[] {"--library", lib, "--grant-operator", "otto"})).isZero();
        try (dev.thing.server.account.Accounts accounts = dev.thing.server.account.Accounts.open(db,
                new dev.thing.server.account.PasswordHasher(1000), () -> 0L)) {
            assertThat(accounts.find("otto").orElseThrow().operator()).isTrue();
        }
        assertThat(Main.run(new String[] {"--library", lib, "--revoke-operator", "OTTO"})).isZero();
        try (dev.thing.server.account.Accounts accounts = dev.thing.server.account.Accounts.open(db,
                new dev.thing.server.account.PasswordHasher(1000), () -> 0L)) {
            assertThat(accounts.find("otto").orElseThrow().operator()).isFalse();
        }
        assertThat(Main.run(new String[] {"--library", lib, "--grant-operator", "otto", "--revoke-operator", "otto"}))
                .isEqualTo(2);
    }

    @Test
    void portSetsThePortOnAllInterfaces() throws Exception {
        ServerConfig c = parse("--port", "9001");

        assertThat(c.bind()).isEqualTo(new InetSocketAddress(9001));
        assertThat(parse("-p", "9002").bind().getPort()).isEqualTo(9002);
    }

    @Test
    void bindSetsTheAddressAndKeepsThePort() throws Exception {
        assertThat(parse("--bind", "127.0.0.1").bind())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7717));
        assertThat(parse("--bind", "127.0.0.1", "--port", "0").bind())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    }

    @Test
    void httpListensOn8080OfTheTcpAddressByDefault() throws Exception {
        assertThat(ServerConfig.defaults().httpBind()).isEqualTo(new InetSocketAddress(8080));
        assertThat(parse("--http-port", "9090").httpBind()).isEqualTo(new InetSocketAddress(9090));
        assertThat(parse("--bind", "127.0.0.1").httpBind())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080));
        assertThat(parse("--bind", "127.0.0.1", "--http-bind", "0.0.0.0", "--http-port", "80").httpBind())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 80));
        assertThat(ServerConfig.defaults().allowedOrigins()).isEmpty();
    }

    @Test
    void httpPortZeroTurnsHttpOff() throws Exception {
        assertThat(parse("--http-port", "0").httpBind()).isNull();
        assertThat(parse("--http-port", "0", "--http-bind", "127.0.0.1").httpBind()).isNull();
        assertThat(ServerConfig.forTests(Path.of("x")).httpBind()).as("tests open no fixed port").isNull();
    }

    @Test
    void httpOriginsAreAListOfOrigins() throws Exception {
        assertThat(parse("--http-origins", "https://party.example, http://localhost:8080/").allowedOrigins())
                .containsExactly("https://party.example", "http://localhost:8080/");
        assertThat(parse("--http-origins", "*").allowedOrigins()).containsExactly("*");
        assertThatThrownBy(() -> parse("--http-origins", "party.example"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("--http-origins: 'party.example' is not an origin");
        assertThatThrownBy(() -> parse("--http-origins", "https://party.example/page"))
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> parse("--http-bind", "[nope"))
                .isInstanceOf(ParseException.class).hasMessage("--http-bind: unknown address [nope");
        assertThatThrownBy(() -> parse("--http-port", "70000"))
                .isInstanceOf(ParseException.class).hasMessage("--http-port must be between 0 and 65535, not 70000");
    }

    @Test
    void libraryMovesTheDatabaseWithItUnlessDatabaseIsGiven() throws Exception {
        ServerConfig c = parse("--library", "/srv/music");
        assertThat(c.libraryDir()).isEqualTo(Path.of("/srv/music"));
        assertThat(c.databaseFile()).isEqualTo(Path.of("/srv/music/thing.db"));

        ServerConfig d = parse("-l", "/srv/music", "--database", "/var/lib/thing/index.db");
        assertThat(d.libraryDir()).isEqualTo(Path.of("/srv/music"));
        assertThat(d.databaseFile()).isEqualTo(Path.of("/var/lib/thing/index.db"));
    }

    @Test
    void eachLimitSetsItsField() throws Exception {
        ServerConfig c = parse("--max-line-bytes", "8192", "--max-upload-mib", "2", "--max-connections", "50",
                "--max-lobbies", "7", "--max-pending", "3", "--handshake-timeout", "15", "--approval-timeout", "90",
                "--rate-burst", "10", "--rate-per-second", "4", "--max-unsent-kib", "256", "--max-queue", "20",
                "--max-wanted", "30", "--ping-interval", "0", "--autoplay");

        assertThat(c.maxLineBytes()).isEqualTo(8192);
        assertThat(c.maxUploadBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(c.maxConnections()).isEqualTo(50);
        assertThat(c.maxLobbies()).isEqualTo(7);
        assertThat(c.maxPending()).isEqualTo(3);
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.approvalTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.rateBurst()).isEqualTo(10);
        assertThat(c.ratePerSecond()).isEqualTo(4.0);
        assertThat(c.maxUnsentBytes()).isEqualTo(256L * 1024);
        assertThat(c.maxQueue()).isEqualTo(20);
        assertThat(c.maxWanted()).isEqualTo(30);
        assertThat(c.pingInterval()).isEqualTo(Duration.ZERO);
        assertThat(c.autoplay()).isTrue();
        // what was not given stays at its default
        assertThat(c.bind()).isEqualTo(ServerConfig.defaults().bind());
        assertThat(c.libraryDir()).isEqualTo(ServerConfig.defaults().libraryDir());
    }

    @Test
    void aLargeUploadLimitDoesNotOverflow() throws Exception {
        assertThat(parse("--max-upload-mib", "4096").maxUploadBytes()).isEqualTo(4096L * 1024 * 1024);
    }

    @Test
    void aNonNumberIsRefusedNamingTheOptionAndTheValue() {
        assertThatThrownBy(() -> parse("--port", "seventy"))
                .isInstanceOf(ParseException.class)
                .hasMessage("--port takes a whole number, not 'seventy'");
        assertThatThrownBy(() -> parse("--max-queue", "1.5"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("--max-queue").hasMessageContaining("1.5");
    }

    @ParameterizedTest
    @CsvSource({
        "--port, 65536, 0, 65535",
        "--port, -1, 0, 65535",
        "--max-line-bytes, 63, 64, 1048576",
        "--max-upload-mib, 0, 1, 4096",
        "--max-upload-mib, 4097, 1, 4096",
        "--max-connections, 0, 1, 1000000",
        "--max-lobbies, 0, 1, 1000000",
        "--max-pending, 0, 1, 1000000",
        "--handshake-timeout, 0, 1, 86400",
        "--approval-timeout, 86401, 1, 86400",
        "--rate-burst, 0, 1, 1000000",
        "--rate-per-second, 0, 1, 1000000",
        "--max-unsent-kib, 15, 16, 1048576",
        "--max-queue, 100001, 1, 100000",
        "--max-wanted, 0, 1, 1000000",
        "--ping-interval, -1, 0, 3600",
        "--ping-interval, 3601, 0, 3600",
        "--rejoin-grace, -1, 0, 86400",
        "--rejoin-grace, 86401, 0, 86400",
    })
    void anOutOfRangeValueIsRefusedWithTheRange(String option, String value, String min, String max) {
        assertThatThrownBy(() -> parse(option, value))
                .isInstanceOf(ParseException.class)
                .hasMessage(option + " must be between " + min + " and " + max + ", not " + value);
    }

    @Test
    void theLogLevelMustBeOneOfTheFiveNamed() throws Exception {
        for (String level : new String[] {"ERROR", "WARN", "INFO", "DEBUG", "TRACE", "debug"}) {
            assertThat(parse("--log-level", level)).isEqualTo(ServerConfig.defaults());
        }
        assertThatThrownBy(() -> parse("--log-level", "LOUD"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("--log-level").hasMessageContaining("LOUD");
        assertThat(Main.run(new String[] {"--log-level", "VERBOSE"})).isEqualTo(2);
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThatThrownBy(() -> parse("--frobnicate"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("frobnicate");
    }

    @Test
    void anOptionWithoutItsValueIsRefused() {
        assertThatThrownBy(() -> parse("--port"))
                .isInstanceOf(ParseException.class);
    }

    // ---- run ----

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void captureOutput() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsageWithEveryOptionAndExitsZero() {
        assertThat(Main.run(new String[] {"--help"})).isZero();

        String usage = out();
        assertThat(usage).contains("java -jar thing-server.jar").contains("7717");
        for (Option o : Main.options().getOptions()) {
            assertThat(usage).as("usage mentions --%s", o.getLongOpt()).contains("--" + o.getLongOpt());
        }
        assertThat(usage).contains("--port", "--bind", "--library", "--database", "--max-line-bytes",
                "--max-upload-mib", "--max-connections", "--max-lobbies", "--max-pending", "--handshake-timeout",
                "--approval-timeout", "--rate-burst", "--rate-per-second", "--max-unsent-kib", "--max-queue",
                "--max-wanted", "--ping-interval", "--autoplay", "--log-level", "--log-file", "--help",
                "--version", "--http-port", "--http-bind", "--http-origins", "--rejoin-grace");
        assertThat(usage).contains("8080").contains("/ws");
        assertThat(err()).isEmpty();
    }

    @Test
    void theConsoleIsOnForATerminalOrWhenAskedAndOffWhenTold() throws Exception {
        org.apache.commons.cli.CommandLineParser p = new DefaultParser();
        assertThat(Main.consoleWanted(p.parse(Main.options(), new String[0]), true)).isTrue();
        assertThat(Main.consoleWanted(p.parse(Main.options(), new String[0]), false)).isFalse();
        assertThat(Main.consoleWanted(p.parse(Main.options(), new String[] {"--console"}), false)).isTrue();
        assertThat(Main.consoleWanted(p.parse(Main.options(), new String[] {"--no-console"}), true)).isFalse();
    }

    @Test
    void consoleAndNoConsoleTogetherAreRefused() {
        assertThat(Main.run(new String[] {"--console", "--no-console"})).isEqualTo(2);
        assertThat(err()).contains("give --console or --no-console, not both");
    }

    @Test
    void helpWinsOverBadValues() {
        assertThat(Main.run(new String[] {"--port", "x", "-h"})).isZero();
    }

    @Test
    void versionPrintsTheVersionAndExitsZero() {
        assertThat(Main.run(new String[] {"--version"})).isZero();

        assertThat(out()).startsWith("thing-server ");
    }

    @Test
    void anUnexpectedArgumentExitsTwoWithAHint() {
        assertThat(Main.run(new String[] {"7717"})).isEqualTo(2);

        assertThat(err()).contains("unexpected argument: 7717").contains("--help");
        assertThat(out()).isEmpty();
    }

    @Test
    void aBadValueExitsTwoWithTheMessage() {
        assertThat(Main.run(new String[] {"--port", "x"})).isEqualTo(2);

        assertThat(err()).contains("--port takes a whole number, not 'x'");
    }

    @Test
    void anOptionWithoutItsValueExitsTwoNamingTheOptionAsTyped() {
        assertThat(Main.run(new String[] {"--port"})).isEqualTo(2);
        assertThat(err()).contains("--port").contains("PORT");

        err.reset();
        assertThat(Main.run(new String[] {"--max-queue"})).isEqualTo(2);
        assertThat(err()).contains("--max-queue");
    }

    @Test
    void anUnknownOptionExitsTwo() {
        assertThat(Main.run(new String[] {"--nope"})).isEqualTo(2);

        assertThat(err()).contains("nope");
    }

    @Test
    void aPortInUseIsFoundBehindMinasWrapping() {
        // MINA reports "Error while binding on ..." as an IOException caused by the BindException.
        java.net.BindException bind = new java.net.BindException("Address already in use");
        assertThat(Main.bindFailure(new java.io.IOException("Error while binding on 0.0.0.0/0.0.0.0:7717", bind)))
                .isSameAs(bind);
        assertThat(Main.bindFailure(bind)).isSameAs(bind);
        assertThat(Main.bindFailure(new java.io.IOException("disk full"))).isNull();
    }
}
