package dev.thing.server.transport;

import dev.thing.server.ServerConfig;
import dev.thing.server.session.Sessions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The browser's way in: an embedded Jetty serving the page's static files from the classpath folder {@code web/}
 * and a WebSocket at {@code /ws} that speaks the THING protocol. Each WebSocket is one more session through
 * {@link Sessions}, carried by a {@link WebSocketWire}; nothing of the protocol is decided here.
 *
 * <p>Static files: GET and HEAD only, no directory listing, 404 for what is not there (Jetty refuses paths that
 * leave the folder, encoded or not), explicit content types, {@code X-Content-Type-Options: nosniff}, and
 * {@code Cache-Control: no-cache} with validators: the page's file names do not change between releases, so a
 * browser may keep a copy but must ask (and is answered 304) before using it.
 */
public final class WebTransport {
    private static final Logger LOG = LogManager.getLogger(WebTransport.class);
    static final String WS_PATH = "/ws";
    static final String CACHE_CONTROL = "no-cache";
    /** Content types by extension; anything else is served as bytes. */
    static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "mjs", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "txt", "text/plain;charset=utf-8");

    private final String folder;
    private final ServerConfig config;
    private final Sessions sessions;
    private final OriginPolicy origins;
    private final Set<WebSocketWire> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final SSLContext tls;
    private final InetSocketAddress httpsBind;
    private Server server;
    private ServerConnector connector;
    private ServerConnector secureConnector;
    private InetSocketAddress binding;

    /** Plain HTTP only, at {@code config.httpBind()}. */
    public WebTransport(ServerConfig config, Sessions sessions) {
        this(config, sessions, null, null, "web/");
    }

    /**
     * Plain HTTP at {@code config.httpBind()} (when not null) and HTTPS at {@code httpsBind} with {@code tls} (when
     * not null): one page, one WebSocket endpoint, two listeners.
     */
    public WebTransport(ServerConfig config, Sessions sessions, SSLContext tls, InetSocketAddress httpsBind) {
        this(config, sessions, tls, httpsBind, "web/");
    }

    /** Serving the page from another classpath folder (tests). */
    WebTransport(ServerConfig config, Sessions sessions, String folder) {
        this(config, sessions, null, null, folder);
    }

    private WebTransport(ServerConfig config, Sessions sessions, SSLContext tls, InetSocketAddress httpsBind,
            String folder) {
        if ((tls == null) != (httpsBind == null)) {
            throw new IllegalArgumentException("HTTPS needs both an address and a TLS context");
        }
        if (config.httpBind() == null && httpsBind == null) {
            throw new IllegalArgumentException("the web transport needs HTTP, HTTPS or both");
        }
        this.tls = tls;
        this.httpsBind = httpsBind;
        this.folder = folder;
        this.config = config;
        this.sessions = sessions;
        this.origins = new OriginPolicy(config.allowedOrigins());
        this.workers = Executors.newFixedThreadPool(config.workerThreads(), r -> {
            Thread t = new Thread(r, "thing-ws-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening; returns the address actually bound (port 0 becomes a real port). */
    public InetSocketAddress bind() throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("thing-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (config.httpBind() != null) {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
            at(connector, config.httpBind());
            server.addConnector(connector);
        }
        if (httpsBind != null) {
            // The same certificate as the line protocol's TLS listener; HTTP/1.1 over TLS 1.2 or 1.3 (the context's
            // own protocols). The WebSocket upgrade works the same on either connector: wss:// on this one.
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setSslContext(tls);
            factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            // A self-signed certificate names "localhost" and the machine's addresses; a browser decides for
            // itself, and SNI need not match.
            factory.setSniRequired(false);
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            secureConnector = new ServerConnector(server, 1, 1,
                    new SslConnectionFactory(factory, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(https));
            at(secureConnector, httpsBind);
            server.addConnector(secureConnector);
        }

        ResourceHandler files = new ResourceHandler();
        Resource web = ResourceFactory.of(server).newClassLoaderResource(folder);
        if (web == null) {
            throw new IOException("the page's files (" + folder + " on the classpath) are missing from this build");
        }
        files.setBaseResource(web);
        files.setDirAllowed(false);
        files.setWelcomeFiles("index.html");
        files.setCacheControl(CACHE_CONTROL);
        files.setEtags(true);
        MimeTypes.Mutable types = server.getMimeTypes();
        CONTENT_TYPES.forEach(types::addMimeMapping);
        files.setMimeTypes(types);

        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            // Like a TCP connection, a WebSocket is not closed for being quiet (a person reading the page).
            container.setIdleTimeout(Duration.ZERO);
            container.setMaxFrameSize(64 * 1024);
            container.setAutoFragment(true);
            container.addMapping(WS_PATH, (request, response, callback) -> {
                String origin = request.getHeaders().get(HttpHeader.ORIGIN);
                Optional<String> refusal = origins.refusal(origin, request.getHttpURI().getAuthority());
                if (refusal.isPresent()) {
                    LOG.warn("refused a WebSocket from {}: {}", Request.getRemoteAddr(request), refusal.get());
                    Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, refusal.get());
                    return null;
                }
                WebSocketWire wire = new WebSocketWire(sessions, workers, config.maxLineBytes(), open::remove);
                open.add(wire);
                return wire;
            });
        });
        ws.setHandler(files);
        server.setHandler(new Headers(ws));
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(true);
        server.setErrorHandler(errors);
        try {
            server.start();
        } catch (IOException e) {
            binding = failed(e);
            stopQuietly();
            throw e;
        } catch (Exception e) {
            stopQuietly();
            throw new IOException("cannot start the web server: " + e.getMessage(), e);
        }
        return connector != null ? address() : httpsAddress();
    }

    private static void at(ServerConnector connector, InetSocketAddress bind) {
        if (bind.getAddress() != null && !bind.getAddress().isAnyLocalAddress()) {
            connector.setHost(bind.getAddress().getHostAddress());
        }
        connector.setPort(bind.getPort());
        connector.setReuseAddress(true);
    }

    /** Which listener failed to start: the first that is not open. */
    private InetSocketAddress failed(IOException e) {
        if (connector != null && !connector.isOpen()) {
            return config.httpBind();
        }
        return httpsBind != null ? httpsBind : config.httpBind();
    }

    /** After {@link #bind()} failed: the address that could not be bound. */
    public InetSocketAddress failedBind() {
        return binding;
    }

    /** Where plain HTTP listens, or null when it is off. */
    public InetSocketAddress address() {
        return address(connector);
    }

    /** Where HTTPS listens, or null when it is off. */
    public InetSocketAddress httpsAddress() {
        return address(secureConnector);
    }

    private static InetSocketAddress address(ServerConnector c) {
        if (c == null) {
            return null;
        }
        String host = c.getHost();
        return host == null ? new InetSocketAddress(c.getLocalPort()) : new InetSocketAddress(host, c.getLocalPort());
    }

    /** Stops accepting connections; open WebSockets stay until {@link #dispose()}. */
    public void unbind() {
        for (ServerConnector c : new ServerConnector[] {connector, secureConnector}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a web connector", e);
            }
        }
    }

    /** The server is stopping: each WebSocket's close that follows the shutdown NOTIFY is 1001 (going away). */
    public void goingAway() {
        for (WebSocketWire wire : open) {
            wire.goingAway();
        }
    }

    public void dispose() {
        stopQuietly();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping the web server", e);
        }
    }

    /** The headers every answer carries, and GET/HEAD only for files. */
    private static final class Headers extends Handler.Wrapper {
        Headers(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put("X-Frame-Options", "DENY");
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            String method = request.getMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                return true;
            }
            if (super.handle(request, response, callback)) {
                return true;
            }
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
    }
}
