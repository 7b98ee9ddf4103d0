package dev.pulse.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium ({@value #EXECUTABLE}, installed by {@code .ci/run}) driven over the Chrome DevTools
 * protocol from Java (JDK WebSocket client, no Node, no browser download). A missing browser fails the test: CI
 * installs it. Flags keep it off the network (no background fetches, updates or sync).
 */
public final class Chromium implements AutoCloseable {
    public static final String EXECUTABLE = "/usr/bin/chromium";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^\\s]+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts the browser with a fresh profile in {@code profile} and attaches to its first page. */
    public static Chromium launch(Path profile, int width, int height) throws Exception {
        String exe = System.getenv().getOrDefault("PULSE_CHROMIUM", EXECUTABLE);
        if (!Files.isExecutable(Path.of(exe))) {
            throw new AssertionError(exe + " is not installed: apt-get install chromium (.ci/run does)");
        }
        List<String> cmd = new ArrayList<>(List.of(exe, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                "--user-data-dir=" + profile.toAbsolutePath(), "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> browserWs = new CompletableFuture<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        browserWs.complete(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // browser gone
            }
            browserWs.completeExceptionally(new AssertionError("chromium exited before DevTools listened:\n"
                    + String.join("\n", lines)));
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        try {
            URI ws = URI.create(browserWs.get(60, TimeUnit.SECONDS));
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://" + ws.getHost() + ":" + ws.getPort()
                    + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
            String pageWs = null;
            for (JsonNode t : JSON.readTree(list)) {
                if (t.path("type").asText().equals("page")) {
                    pageWs = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (pageWs == null) {
                throw new AssertionError("chromium has no page target: " + list);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), listener).get(30, TimeUnit.SECONDS);
            Chromium c = new Chromium(p, socket);
            listener.owner = c;
            c.output.addAll(lines);
            c.send("Page.enable", Map.of());
            c.send("Runtime.enable", Map.of());
            c.send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", false));
            return c;
        } catch (Exception | AssertionError e) {
            stop(p);
            throw e;
        }
    }

    private static final class Listener implements WebSocket.Listener {
        volatile Chromium owner;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    Chromium c = owner;
                    if (c != null) {
                        c.dispatch(msg);
                    }
                } catch (IOException ignored) {
                    // not JSON: never sent by Chromium
                }
            }
            ws.request(1);
            return null;
        }
    }

    private void dispatch(JsonNode msg) {
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
            if (f != null) {
                if (msg.has("error")) {
                    f.completeExceptionally(new AssertionError("DevTools error: " + msg.get("error")));
                } else {
                    f.complete(msg.path("result"));
                }
            }
        } else {
            events.add(msg);
        }
    }

    /** One DevTools command; its result. */
    public JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Opens {@code url} and waits for its load event. */
    public void navigate(String url) throws Exception {
        int before = events.size();
        send("Page.navigate", Map.of("url", url));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = before; i < events.size(); i++) {
                if (events.get(i).path("method").asText().equals("Page.loadEventFired")) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no load event for " + url);
    }

    /** The value of a JavaScript expression (promises awaited), as JSON. */
    public JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("JavaScript failed: " + expression + "\n" + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    public String text(String expression) throws Exception {
        return eval(expression).asText();
    }

    /** Polls {@code condition} (a JavaScript boolean expression) until true; fails after {@code limit}. */
    public void await(String condition, Duration limit, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (eval("Boolean(" + condition + ")").asBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + ": not true within " + limit + ": " + condition + "\nconsole:\n"
                + String.join("\n", consoleMessages()));
    }

    /** Console messages and uncaught exceptions of the page so far. */
    public List<String> consoleMessages() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String m = e.path("method").asText();
            if (m.equals("Runtime.consoleAPICalled")) {
                StringBuilder sb = new StringBuilder(e.path("params").path("type").asText()).append(':');
                for (JsonNode a : e.path("params").path("args")) {
                    sb.append(' ').append(a.has("value") ? a.get("value").asText() : a.path("description").asText());
                }
                out.add(sb.toString());
            } else if (m.equals("Runtime.exceptionThrown")) {
                out.add("exception: " + e.path("params").path("exceptionDetails"));
            }
        }
        return out;
    }

    /** A PNG of the whole page. */
    public void screenshot(Path file) throws Exception {
        JsonNode r = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        stop(process);
    }

    /** Ends the browser this test started, and its helper processes, by their ids. */
    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }
}
