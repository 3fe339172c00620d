package dev.thing.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.thing.server.ServerConfig;
import dev.thing.server.session.Sessions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The page's static files over real HTTP on a loopback port, from the test folder {@code webtest/} on the
 * classpath: content types, headers, 404, no listing, no way out of the folder. Requests are written by hand so
 * that the path reaches the server exactly as typed.
 */
class WebTransportTest {
    @TempDir
    Path dir;
    private WebTransport web;
    private int port;

    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start() throws IOException {
        ServerConfig.Builder b = ServerConfig.forTests(dir).toBuilder();
        b.httpBind = new InetSocketAddress("127.0.0.1", 0);
        web = new WebTransport(b.build(), mock(Sessions.class), "webtest/");
        port = web.bind().getPort();
    }

    @AfterEach
    void stop() {
        web.dispose();
    }

    Answer request(String method, String path, String... extraHeaders) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n");
            for (String h : extraHeaders) {
                req.append(h).append("\r\n");
            }
            s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            return parse(s.getInputStream().readAllBytes());
        }
    }

    static Answer parse(byte[] raw) {
        int split = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(split).as("an HTTP answer").isPositive();
        String[] head = new String(raw, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, split + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = indexOf(java.util.Arrays.copyOfRange(body, i, body.length), "\r\n".getBytes());
            int size = Integer.parseInt(new String(body, i, eol, StandardCharsets.ISO_8859_1).split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, i + eol + 2, size);
            i += eol + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = WebTransportTest.class.getResourceAsStream("/webtest/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theRootIsTheIndexPage() throws IOException {
        Answer a = request("GET", "/");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(a.text()).contains("hello from the test page");
        assertThat(request("GET", "/index.html").body()).isEqualTo(resource("index.html"));
    }

    @ParameterizedTest
    @CsvSource({
        "index.html, text/html;charset=utf-8",
        "app.js, text/javascript;charset=utf-8",
        "style.css, text/css;charset=utf-8",
        "icon.svg, image/svg+xml",
        "logo.png, image/png",
        "favicon.ico, image/x-icon",
        "data.json, application/json"})
    void eachKindOfFileHasItsContentTypeAndTheSafetyHeaders(String file, String type) throws IOException {
        Answer a = request("GET", "/" + file);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).isEqualToIgnoringCase(type);
        assertThat(a.body()).isEqualTo(resource(file));
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(a.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(a.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(a.header("ETag")).isNotBlank();
        assertThat(a.header("Server")).isNull();
    }

    @Test
    void aBrowserThatHasTheFileIsToldItIsUnchanged() throws IOException {
        String etag = request("GET", "/app.js").header("ETag");
        Answer again = request("GET", "/app.js", "If-None-Match: " + etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void headAnswersWithoutABody() throws IOException {
        Answer a = request("HEAD", "/app.js");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Length")).isEqualTo(Integer.toString(resource("app.js").length));
        assertThat(a.body()).isEmpty();
    }

    @Test
    void anUnknownFileIsNotFoundWithTheSafetyHeaders() throws IOException {
        Answer a = request("GET", "/nothing-here.js");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(a.text()).doesNotContain("Jetty").doesNotContain("at org.eclipse");
    }

    @Test
    void aFolderIsNeverListed() throws IOException {
        for (String path : List.of("/sub/", "/sub")) {
            Answer a = request("GET", path);
            assertThat(a.status()).as(path).isIn(302, 403, 404);
            assertThat(a.text()).as(path).doesNotContain("note.txt");
        }
        assertThat(request("GET", "/sub/note.txt").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../log4j2.xml", "/%2e%2e/log4j2.xml", "/sub/../../log4j2.xml",
        "/..%2flog4j2.xml", "/%2e%2e%2flog4j2.xml", "/sub/%2e%2e/%2e%2e/log4j2.xml", "/..\\log4j2.xml",
        "/%5c..%5clog4j2.xml", "/sub/..;/../log4j2.xml", "//log4j2.xml"})
    void nothingOutsideThePageFolderCanBeReached(String path) throws IOException {
        Answer a = request("GET", path);
        assertThat(a.status()).as(path).isIn(400, 404);
        assertThat(a.text()).as(path).doesNotContain("<Configuration");
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws IOException {
        Answer a = request("POST", "/index.html", "Content-Length: 0");
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void theWebSocketPathWithoutAnUpgradeIsNotAFile() throws IOException {
        assertThat(request("GET", "/ws").status()).isEqualTo(404);
    }
}
