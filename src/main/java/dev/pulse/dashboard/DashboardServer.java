package dev.pulse.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.config.UsageException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live page: one HTML page with its script and style (classpath resources under {@code dev/pulse/dashboard/}),
 * {@code /api/dashboard} (the latest document, numbers as exact decimal strings, see {@link DecimalJson}) and
 * {@code /events}, a Server-Sent Events stream that sends the document at connect and again whenever
 * {@link DashboardFeed} publishes a new one, plus {@code status} events (live, reconnecting). Nothing is served but
 * these; nothing served holds a password (the page shows the user it reads as and host:port/database).
 * JDK's own HTTP server: one thread per open event stream, at most {@value #MAX_STREAMS} streams.
 */
public final class DashboardServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 8088;
    static final int MAX_STREAMS = 64;
    static final long HEARTBEAT_MS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String RESOURCES = "dev/pulse/dashboard/";
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/dashboard.js", new String[] {"dashboard.js", "text/javascript; charset=utf-8"},
            "/dashboard.css", new String[] {"dashboard.css", "text/css; charset=utf-8"},
            "/favicon.svg", new String[] {"favicon.svg", "image/svg+xml"});

    private final HttpServer http;
    private final ExecutorService threads;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger published = new AtomicInteger();
    private volatile String document;
    private volatile String status = "starting";
    private volatile DashboardLogin login;
    private volatile DashboardFeed feed;

    private DashboardServer(HttpServer http, ExecutorService threads) {
        this.http = http;
        this.threads = threads;
    }

    /** Binds the port now (a busy port fails here, before anything else starts) and serves the page at once. */
    public static DashboardServer bind(InetAddress address, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pulse-dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        DashboardServer server = new DashboardServer(http, threads);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    /**
     * bin/pulse's server, on the loopback address: the port given (busy: a start-up mistake naming the option), or
     * {@value #DEFAULT_PORT}, and when that one is busy (another run, another program) any free port; the URL printed
     * says which.
     */
    public static DashboardServer bindLocal(Integer given) throws UsageException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port = given == null ? DEFAULT_PORT : given;
        try {
            return bind(loopback, port);
        } catch (BindException busy) {
            if (given == null) {
                try {
                    return bind(loopback, 0);
                } catch (IOException e) {
                    throw new UsageException("--dashboard-port: cannot serve the dashboard (" + e.getMessage()
                            + "); give --dashboard-port 0 to run without it");
                }
            }
            throw new UsageException("--dashboard-port: port " + port + " on " + loopback.getHostAddress() + " is in use; "
                    + "give a free one (e.g. --dashboard-port " + (port < 65535 ? port + 1 : 8089) + ") or 0 to turn the "
                    + "dashboard off");
        } catch (IOException e) {
            throw new UsageException("--dashboard-port: cannot serve on port " + port + " (" + e.getMessage()
                    + "); give another port, or 0 to turn the dashboard off");
        }
    }

    /** Starts reading through {@code login}; the page fills as soon as the first document arrives. */
    public DashboardServer start(DashboardLogin login) {
        this.login = login;
        feed = new DashboardFeed(login, this::publish, this::status).start();
        return this;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The URL to print: localhost for a loopback or wildcard address. */
    public String url() {
        InetAddress a = http.getAddress().getAddress();
        String host = a.isLoopbackAddress() || a.isAnyLocalAddress() ? "localhost"
                : a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + port() + "/";
    }

    /** Documents sent so far (for tests and the log). */
    int published() {
        return published.get();
    }

    void publish(String doc) {
        document = doc;
        published.incrementAndGet();
        broadcast(event("dashboard", doc));
    }

    void status(String s) {
        status = s;
        broadcast(event("status", statusJson()));
    }

    private String statusJson() {
        DashboardLogin l = login;
        String src = l == null ? "" : l.target() + ", schema " + l.schema() + ", as " + l.describe();
        return "{\"status\":\"" + status + "\",\"source\":" + quote(src) + "}";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private void broadcast(String event) {
        for (Stream s : streams) {
            if (!s.offer(event)) {
                String doc = document;
                if (doc != null && !event.startsWith("event: dashboard")) {
                    s.offer(event("dashboard", doc));
                }
                s.offer(event);
            }
        }
    }

    /** One SSE event; data lines split at line breaks as the format requires (the JSON has none). */
    static String event(String name, String data) {
        StringBuilder sb = new StringBuilder("event: ").append(name).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        return sb.append('\n').toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "only GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/events")) {
                stream(ex);
                return;
            }
            if (path.equals("/api/dashboard")) {
                String doc = document;
                byte[] body = (doc == null ? "{\"status\":\"" + status + "\"}" : doc).getBytes(StandardCharsets.UTF_8);
                send(ex, doc == null ? 503 : 200, "application/json; charset=utf-8", body);
                return;
            }
            if (path.equals("/api/status")) {
                send(ex, 200, "application/json; charset=utf-8", statusJson().getBytes(StandardCharsets.UTF_8));
                return;
            }
            String[] file = FILES.get(path);
            if (file == null) {
                send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(RESOURCES + file[0])) {
                if (in == null) {
                    throw new IOException(RESOURCES + file[0] + " is missing from the class path");
                }
                send(ex, 200, file[1], in.readAllBytes());
            }
        } catch (IOException e) {
            LOG.debug("dashboard: request ended: {}", e.toString());
        }
    }

    private static void headers(HttpExchange ex, String type) {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'");
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        headers(ex, type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            ex.getResponseBody().write(body);
        }
    }

    private void stream(HttpExchange ex) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            send(ex, 503, "text/plain; charset=utf-8", "too many open pages\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        headers(ex, "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        Stream s = new Stream();
        streams.add(s);
        try {
            OutputStream out = ex.getResponseBody();
            // The browser reconnects 2 s after a lost stream; then the current state, then every change.
            s.offer("retry: 2000\n\n");
            s.offer(event("status", statusJson()));
            String doc = document;
            if (doc != null) {
                s.offer(event("dashboard", doc));
            }
            while (!Thread.currentThread().isInterrupted()) {
                String next = s.queue.poll(HEARTBEAT_MS, TimeUnit.MILLISECONDS);
                out.write((next == null ? ": keep-alive\n\n" : next).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(s);
        }
    }

    /** An open event stream: what is still to be written to it. */
    private static final class Stream {
        final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();

        /** False when the page fell behind: its backlog is dropped (every document is complete; the newest suffices). */
        boolean offer(String event) {
            if (queue.size() > 16) {
                queue.clear();
                return false;
            }
            queue.offer(event);
            return true;
        }
    }

    @Override
    public void close() {
        DashboardFeed f = feed;
        if (f != null) {
            f.close();
        }
        http.stop(0);
        threads.shutdownNow();
    }
}
