package dev.pulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The materialized-view design's background work: every {@code every} seconds (from the start of the previous
 * refresh) {@code REFRESH MATERIALIZED VIEW CONCURRENTLY} each view of pulse_mv, in dependency order, on its own
 * connection, while that design's clients run. The first refresh starts at once.
 */
final class MvRefresher {
    static final List<String> VIEWS = List.of("order_metrics", "gmv_sliding", "top_products", "funnel_metrics",
            "session_funnel", "payment_metrics");

    private final Thread thread;
    private final List<Long> millis = new ArrayList<>();
    private volatile boolean stopping;
    private volatile String error;

    private MvRefresher(String url, String user, double everyS) {
        thread = new Thread(() -> loop(url, user, everyS), "bi-bench-mv-refresh");
        thread.setDaemon(true);
    }

    static MvRefresher start(String url, String user, double everyS) {
        MvRefresher r = new MvRefresher(url, user, everyS);
        r.thread.start();
        return r;
    }

    private void loop(String url, String user, double everyS) {
        try (Connection c = DriverManager.getConnection(url, user, null); Statement st = c.createStatement()) {
            while (!stopping) {
                long t0 = System.nanoTime();
                for (String v : VIEWS) {
                    st.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY " + BiBench.MV + "." + v);
                }
                long took = (System.nanoTime() - t0) / 1_000_000;
                synchronized (millis) {
                    millis.add(took);
                }
                long next = t0 + Math.round(everyS * 1e9);
                while (!stopping && System.nanoTime() < next) {
                    Thread.sleep(Math.max(1, Math.min(200, (next - System.nanoTime()) / 1_000_000)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            error = e.toString();
        }
    }

    /** Waits for a refresh in progress to finish, then reports every refresh's duration. */
    ObjectNode stop() throws InterruptedException {
        stopping = true;
        thread.join();
        ObjectNode n = new ObjectMapper().createObjectNode();
        List<Long> all;
        synchronized (millis) {
            all = new ArrayList<>(millis);
        }
        n.put("refreshes", all.size());
        ArrayNode ms = n.putArray("duration_ms");
        all.forEach(ms::add);
        n.put("max_ms", all.stream().mapToLong(Long::longValue).max().orElse(0));
        if (error != null) {
            n.put("error", error);
        }
        return n;
    }
}
