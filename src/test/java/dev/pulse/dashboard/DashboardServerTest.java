package dev.pulse.dashboard;

import dev.pulse.config.UsageException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The page's server without a database: files, the document, the event stream, ports; and the decimal form. */
class DashboardServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private DashboardServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void numbersReachThePageAsTheirExactDecimalDigits() {
        assertThat(DecimalJson.forPage("{\"gmv\": 12345678901234567.895, \"orders\": 12, \"rate\": 0.5000, "
                + "\"region\": \"华东\", \"none\": null, \"list\": [1.10, 2]}"))
                .isEqualTo("{\"gmv\":\"12345678901234567.895\",\"orders\":\"12\",\"rate\":\"0.5000\",\"region\":\"华东\","
                        + "\"none\":null,\"list\":[\"1.10\",\"2\"]}");
    }

    @Test
    void documentsThatDifferOnlyInTheClockAreTheSame() {
        String a = DecimalJson.forPage("{\"as_of\":\"x\",\"generated_at\":\"1\",\"bad_input\":{\"since\":\"1\",\"dead_letters\":3}}");
        String b = DecimalJson.forPage("{\"as_of\":\"x\",\"generated_at\":\"2\",\"bad_input\":{\"since\":\"2\",\"dead_letters\":3}}");
        String c = DecimalJson.forPage("{\"as_of\":\"x\",\"generated_at\":\"2\",\"bad_input\":{\"since\":\"2\",\"dead_letters\":4}}");
        assertThat(DecimalJson.content(a)).isEqualTo(DecimalJson.content(b)).isNotEqualTo(DecimalJson.content(c));
    }

    @Test
    void servesThePageItsFilesAndTheLatestDocumentAndNothingElse() throws Exception {
        server = DashboardServer.bind(InetAddress.getLoopbackAddress(), 0);
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("<meta charset=\"utf-8\">", "/dashboard.js", "实时大屏", "data-panel=\"funnel\"");
        assertThat(get("/dashboard.js").body()).contains("EventSource('/events')");
        assertThat(get("/dashboard.css").statusCode()).isEqualTo(200);
        assertThat(get("/favicon.svg").statusCode()).isEqualTo(200);
        assertThat(get("/../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/dev/pulse/dashboard/index.html").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url())).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

        assertThat(get("/api/dashboard").statusCode()).isEqualTo(503);
        server.publish("{\"as_of\":\"2025-10-04T10:11:00+00:00\",\"gmv\":\"1.50\"}");
        HttpResponse<String> doc = get("/api/dashboard");
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).isEqualTo("{\"as_of\":\"2025-10-04T10:11:00+00:00\",\"gmv\":\"1.50\"}");
    }

    @Test
    void anOpenEventStreamGetsTheCurrentDocumentThenEveryNewOne() throws Exception {
        server = DashboardServer.bind(InetAddress.getLoopbackAddress(), 0);
        server.publish("{\"n\":\"1\"}");
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(server.url() + "events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            List<String> first = readEvent(r, "dashboard");
            assertThat(first).contains("data: {\"n\":\"1\"}");
            server.publish("{\"n\":\"2\"}");
            assertThat(readEvent(r, "dashboard")).contains("data: {\"n\":\"2\"}");
            server.status("reconnecting");
            assertThat(readEvent(r, "status")).anyMatch(l -> l.startsWith("data: {\"status\":\"reconnecting\""));
        }
    }

    /** The lines of the next event named {@code name}. */
    private static List<String> readEvent(BufferedReader r, String name) throws Exception {
        List<String> event = new ArrayList<>();
        for (String line; (line = r.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (event.contains("event: " + name)) {
                    return event;
                }
                event.clear();
            } else {
                event.add(line);
            }
        }
        throw new AssertionError("stream ended before an event " + name);
    }

    @Test
    void eventDataIsOneLinePerLineOfTheDocument() {
        assertThat(DashboardServer.event("dashboard", "{\"a\":1}")).isEqualTo("event: dashboard\ndata: {\"a\":1}\n\n");
        assertThat(DashboardServer.event("x", "a\nb")).isEqualTo("event: x\ndata: a\ndata: b\n\n");
    }

    @Test
    void aBusyPortGivenExplicitlyIsAStartUpMistakeTheDefaultMovesToAFreeOne() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> DashboardServer.bindLocal(port)).isInstanceOf(UsageException.class)
                    .hasMessage("--dashboard-port: port " + port + " on 127.0.0.1 is in use; give a free one (e.g. "
                            + "--dashboard-port " + (port + 1) + ") or 0 to turn the dashboard off");
        }
        try (ServerSocket busy = new ServerSocket()) {
            busy.setReuseAddress(true);

            try {
                busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), DashboardServer.DEFAULT_PORT));

            } catch (java.io.IOException alreadyBusy) {
                // someone else holds it: the same situation
            }
            server = DashboardServer.bindLocal(null);
            assertThat(server.port()).isNotEqualTo(DashboardServer.DEFAULT_PORT);
            assertThat(server.url()).isEqualTo("http://localhost:" + server.port() + "/");
        }
    }
}
