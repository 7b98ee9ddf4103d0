package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Keeps the dashboard document fresh: a dedicated connection LISTENs on {@value #CHANNEL} (the statement trigger of
 * {@code sql/postgres/bi_housekeeping.sql} notifies at every committed sink batch), and on a notification for this
 * schema a second connection calls {@code pulse_dashboard()}. Bursts are coalesced: at most one call per
 * {@link #COALESCE}. The clock-based panel (bad input of the last hour) is refreshed every {@link #PERIODIC} even
 * without writes. A document equal to the last (but for {@code generated_at}) is not published again. When a
 * connection breaks (the database restarts, a backend is terminated) both are dropped and opened again, LISTEN
 * first, then a fresh call, so nothing committed meanwhile is missed; {@code onStatus} tells the page.
 */
public final class DashboardFeed implements AutoCloseable {
    public static final String CHANNEL = "pulse_updates";
    static final Duration COALESCE = Duration.ofMillis(500);
    static final Duration PERIODIC = Duration.ofSeconds(30);
    /** A LISTEN connection quiet this long is checked (a dead peer that sent no FIN would otherwise go unnoticed). */
    static final Duration IDLE_CHECK = Duration.ofSeconds(10);
    static final int MINUTES = 60;

    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DashboardLogin login;
    private final Consumer<String> onDocument;
    private final Consumer<String> onStatus;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection listenConnection;
    private volatile Connection queryConnection;
    private String lastContent;

    public DashboardFeed(DashboardLogin login, Consumer<String> onDocument, Consumer<String> onStatus) {
        this.login = login;
        this.onDocument = onDocument;
        this.onStatus = onStatus;
        this.thread = new Thread(this::run, "pulse-dashboard-feed");
        this.thread.setDaemon(true);
    }

    public DashboardFeed start() {
        thread.start();
        return this;
    }

    private void run() {
        long backoffMs = COALESCE.toMillis();
        while (!closed) {
            try (Connection listen = login.open(); Connection query = login.open()) {
                listenConnection = listen;
                queryConnection = query;
                try (Statement st = listen.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                refresh(query);
                onStatus.accept("live");
                LOG.info("dashboard: listening on {} at {} as {}", CHANNEL, login.target(), login.describe());
                backoffMs = COALESCE.toMillis();
                follow(listen, query);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("dashboard: lost the database ({}); reconnecting in {} ms", DashboardLogin.firstLine(e), backoffMs);
                onStatus.accept("reconnecting");
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException stop) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }

    /** Waits for notifications and refreshes, until a connection breaks (an exception) or the feed is closed. */
    private void follow(Connection listen, Connection query) throws SQLException {
        PGConnection pg = listen.unwrap(PGConnection.class);
        long lastRefresh = System.nanoTime();
        long lastHeard = lastRefresh;
        boolean dirty = false;
        while (!closed) {
            long now = System.nanoTime();
            long waitMs = dirty
                    ? Math.max(1, COALESCE.toMillis() - (now - lastRefresh) / 1_000_000)
                    : Math.max(1, Math.min(IDLE_CHECK.toMillis(), PERIODIC.toMillis() - (now - lastRefresh) / 1_000_000));
            PGNotification[] batch = pg.getNotifications((int) waitMs);
            now = System.nanoTime();
            if (batch != null && batch.length > 0) {
                lastHeard = now;
                for (PGNotification n : batch) {
                    dirty |= concernsUs(n.getParameter());
                }
            }
            long sinceRefresh = now - lastRefresh;
            if (dirty && sinceRefresh >= COALESCE.toNanos() || sinceRefresh >= PERIODIC.toNanos()) {
                refresh(query);
                lastRefresh = System.nanoTime();
                dirty = false;
            }
            if (now - lastHeard >= IDLE_CHECK.toNanos()) {
                if (!listen.isValid(5)) {
                    throw new SQLException("the LISTEN connection stopped answering", "08006");
                }
                lastHeard = now;
            }
        }
    }

    /** A notification of this schema (or one that cannot be read: refreshing too often is harmless). */
    boolean concernsUs(String payload) {
        try {
            JsonNode schema = JSON.readTree(payload).get("schema");
            return schema == null || schema.asText().equals(login.schema());
        } catch (Exception unreadable) {
            return true;
        }
    }

    private void refresh(Connection query) throws SQLException {
        String sql = "SELECT " + query.unwrap(PGConnection.class).escapeIdentifier(login.schema())
                + ".pulse_dashboard(?)::text";
        String doc;
        try (PreparedStatement ps = query.prepareStatement(sql)) {
            ps.setInt(1, MINUTES);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                doc = DecimalJson.forPage(rs.getString(1));
            }
        }
        String content = DecimalJson.content(doc);
        if (!content.equals(lastContent)) {
            lastContent = content;
            onDocument.accept(doc);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        for (Connection c : new Connection[] {listenConnection, queryConnection}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
