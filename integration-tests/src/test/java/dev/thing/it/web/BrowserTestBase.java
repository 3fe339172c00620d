package dev.thing.it.web;

import dev.thing.it.TelnetClient;
import dev.thing.server.ServerConfig;
import dev.thing.server.ThingServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real server (real time, TCP and HTTP on loopback ports of the system's choosing) and headless Chromium pages
 * driven by Debian's chromedriver, plus raw-socket telnet clients. Each test gets fresh browsers with fresh
 * profiles; everything is closed after it. Waits are generous and only ever for outcomes.
 *
 * <p>The browser is Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them); other
 * paths can be given with {@code -Dthing.chromium=...} and {@code -Dthing.chromedriver=...}. Without them the tests
 * fail, saying what to install: they are never skipped.
 */
abstract class BrowserTestBase {
    static final String GREETING =
            "NOTIFY THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, CAP, QUIT";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Path CHROMIUM = Paths.get(System.getProperty("thing.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Paths.get(System.getProperty("thing.chromedriver", "/usr/bin/chromedriver"));

    @TempDir
    Path dir;

    ThingServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private int browsers;

    @BeforeAll
    static void browserInstalled() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError("the browser tests need Debian's chromium and chromium-driver, and " + p
                        + " is missing: apt-get install chromium chromium-driver (.ci/run does this as root), or "
                        + "give -Dthing.chromium=<browser> -Dthing.chromedriver=<driver>");
            }
        }
    }

    @AfterEach
    void closeEverything() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    ThingServer start() {
        return start(b -> { });
    }

    ThingServer start(Consumer<ServerConfig.Builder> tweak) {
        ServerConfig.Builder b = ServerConfig.forTests(dir.resolve("server")).toBuilder();
        b.httpBind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        tweak.accept(b);
        ThingServer s = new ThingServer(b.build());
        toClose.add(s);
        try {
            s.start();
        } catch (Exception e) {
            throw new IllegalStateException("server did not start", e);
        }
        server = s;
        return s;
    }

    /** The page's address on the test server: over HTTPS when plain HTTP is off. */
    String pageUrl() {
        InetSocketAddress a = server.httpAddress();
        if (a == null) {
            InetSocketAddress s = server.httpsAddress();
            return "https://" + s.getHostString() + ":" + s.getPort() + "/";
        }
        return "http://" + a.getHostString() + ":" + a.getPort() + "/";
    }

    /**
     * The browser flag that makes Chromium accept exactly the test server's self-signed certificate (by the SHA-256
     * of its public key, as a user's "proceed" would for that one certificate), and no other.
     */
    String trustServerCertificate() {
        try {
            byte[] spki = server.certificate().leaf().getPublicKey().getEncoded();
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(spki);
            return "--ignore-certificate-errors-spki-list=" + java.util.Base64.getEncoder().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- telnet ----

    TelnetClient telnet(String name) {
        TelnetClient c = new TelnetClient(name, server.address());
        toClose.add(c);
        c.timeout(WAIT);
        c.expectLine(GREETING);
        return c;
    }

    /** A telnet client that created {@code lobby}: its ADMIN. */
    TelnetClient telnetAdmin(String lobby, String user) {
        TelnetClient c = telnet(user);
        c.send(lobby + " " + user);
        c.expectLine("OKAY you created " + lobby + " and are its ADMIN");
        return c;
    }

    // ---- browsers ----

    /** A headless Chromium on the home page, with sound allowed to start without a gesture. */
    Page browser() {
        return browser(true);
    }

    /**
     * A headless Chromium on the home page. {@code autoplay}: whether the page may start sound without a gesture
     * (false: the browser's usual rule, so the page must ask with its "Enable sound" button).
     */
    Page browser(boolean autoplay) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        Path profile = dir.resolve("chromium-profile-" + (++browsers));
        try {
            Files.createDirectories(profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--no-default-browser-check", "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        options.addArguments(autoplay ? "--autoplay-policy=no-user-gesture-required"
                : "--autoplay-policy=document-user-activation-required");
        if (server.certificate() != null) {
            options.addArguments(trustServerCertificate());
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver-" + browsers + ".log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        Page page = new Page(driver);
        toClose.add(page);
        driver.manage().timeouts().scriptTimeout(WAIT);
        driver.get(pageUrl());
        page.waitFor("the home page", () -> Boolean.TRUE.equals(page.js("return window.thing != null && window.thing.view === 'home'")));
        return page;
    }

    /** A test file: a fixture from the classpath copied to the temporary folder (a file picker needs a path). */
    Path fixtureFile(String name) {
        try (InputStream in = BrowserTestBase.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            Path target = dir.resolve("files").resolve(name);
            Files.createDirectories(target.getParent());
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] fixture(String name) {
        try (InputStream in = BrowserTestBase.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where screenshots go (the module's target folder; never committed). */
    static Path screenshotDir() {
        Path p = Paths.get("target", "screenshots");
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** One browser window on the page, with helpers for what the tests do with it. */
    static final class Page implements AutoCloseable {
        final ChromeDriver driver;

        Page(ChromeDriver driver) {
            this.driver = driver;
        }

        Object js(String script, Object... args) {
            return ((JavascriptExecutor) driver).executeScript(script, args);
        }

        Object asyncJs(String script, Object... args) {
            return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
        }

        /** A value of window.thing, e.g. {@code thing("view")} or {@code thing("playback.state")}. */
        Object thing(String path) {
            return js("return window.thing." + path);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> thingMap(String path) {
            return (Map<String, Object>) js("return window.thing." + path);
        }

        void waitFor(String what, Supplier<Boolean> condition) {
            new WebDriverWait(driver, WAIT).withMessage(() -> "waiting for " + what + "; the page says: "
                    + String.valueOf(js("return JSON.stringify({view: window.thing && window.thing.view, "
                            + "notices: window.thing && window.thing.notices.slice(-5), "
                            + "playback: window.thing && window.thing.playback})")))
                    // The page redraws its lists on every update: an element read while it is replaced is "not yet".
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                Boolean b = condition.get();
                return b != null && b;
            });
        }

        void waitForThing(String expression) {
            waitFor(expression, () -> Boolean.TRUE.equals(js("return !!(" + expression + ")")));
        }

        WebElement el(String id) {
            return driver.findElement(By.id(id));
        }

        WebElement css(String selector) {
            return driver.findElement(By.cssSelector(selector));
        }

        /**
         * Clicks the element {@code selector} finds, finding it again if the page redrew its list between the find
         * and the click (a queue pushed by EVENT lines can be redrawn at any moment; a stale click does nothing).
         */
        void clickCss(String selector) {
            waitFor("a click on " + selector, () -> {
                driver.findElement(By.cssSelector(selector)).click();
                return true;
            });
        }

        List<WebElement> all(String selector) {
            return driver.findElements(By.cssSelector(selector));
        }

        boolean visible(String id) {
            return Boolean.TRUE.equals(js("const e = document.getElementById(arguments[0]);"
                    + "return !!e && e.offsetParent !== null && !e.closest('[hidden]');", id));
        }

        /** Fills the join form and submits it. */
        void join(String lobby, String user) {
            el("join-lobby").clear();
            el("join-lobby").sendKeys(lobby);
            el("join-user").clear();
            el("join-user").sendKeys(user);
            el("join-button").click();
        }

        /** Joins a lobby that does not exist yet: the page is its admin. */
        void create(String lobby, String user) {
            join(lobby, user);
            waitForThing("window.thing.view === 'lobby' && window.thing.role === 'ADMIN'");
        }

        /**
         * Chooses a file in the upload card, gives it a title and uploads it; returns once the page has the reply.
         * Returns the outcome the page recorded ("stored", or the ERROR code).
         */
        String upload(Path file, String title) {
            el("file").sendKeys(file.toAbsolutePath().toString());
            el("up-title").clear();
            el("up-title").sendKeys(title);
            js("window.__uploadsBefore = window.thing.lastUpload;");
            el("upload-button").click();
            waitForThing("window.thing.lastUpload && window.thing.lastUpload !== window.__uploadsBefore");
            return String.valueOf(js("return window.thing.lastUpload.outcome"));
        }

        /** Waits until the clock sync has its first samples (so a start can be trusted to it). */
        void clockReady() {
            waitForThing("window.thing.clock.ready");
        }

        void resize(int width, int height) {
            driver.manage().window().setSize(new Dimension(width, height));
        }

        /** The page's width inside the window, and how wide its content is: equal when nothing scrolls sideways. */
        long[] widths() {
            Object w = js("return [document.documentElement.clientWidth, document.documentElement.scrollWidth,"
                    + " document.body.scrollWidth];");
            @SuppressWarnings("unchecked")
            List<Number> l = (List<Number>) w;
            return new long[] {l.get(0).longValue(), l.get(1).longValue(), l.get(2).longValue()};
        }

        /** A screenshot of the whole page at the window's width (the window grown to the page's height for it). */
        Path screenshot(String name) {
            Dimension before = driver.manage().window().getSize();
            long height = ((Number) js("window.scrollTo(0, 0); return document.documentElement.scrollHeight;"))
                    .longValue();
            driver.manage().window().setSize(new Dimension(before.getWidth(),
                    (int) Math.max(before.getHeight(), Math.min(height + 120, 6000))));
            try {
                return screenshotOfWindow(name);
            } finally {
                driver.manage().window().setSize(before);
            }
        }

        private Path screenshotOfWindow(String name) {
            File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path target = screenshotDir().resolve(name + ".png");
            try {
                Files.copy(f.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return target;
        }

        WebDriver driver() {
            return driver;
        }

        @Override
        public void close() {
            driver.quit();
        }
    }

    static void assertEventually(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Boolean.TRUE.equals(condition.get())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
