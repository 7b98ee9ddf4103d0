package dev.pulse.dashboard;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DashboardFeed} against a PostgreSQL of its own that is stopped and started again on the same port and data:
 * the feed reports "reconnecting", LISTENs again, and the next notified commit reaches it. A burst of commits is
 * coalesced (never more than one call per 500 ms), other schemas' notifications are ignored. A stand-in
 * {@code pulse_dashboard()} returns one value of a table, so the test needs no job.
 */
class DashboardFeedIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static EmbeddedPostgres start(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static void write(EmbeddedPostgres pg, String sql) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Commits value v and notifies as the job's trigger would (one transaction). */
    private static void commit(EmbeddedPostgres pg, String schema, int v) throws Exception {
        write(pg, "BEGIN; UPDATE feed.t SET v = " + v + "; NOTIFY pulse_updates, '{\"schema\": \"" + schema
                + "\", \"tables\": [\"t\"]}'; COMMIT;");
    }

    private static String next(BlockingQueue<String> q, String contains) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            String s = q.poll(200, TimeUnit.MILLISECONDS);
            if (s != null && s.contains(contains)) {
                return s;
            }
        }
        throw new AssertionError("nothing containing " + contains + " within " + PATIENCE);
    }

    @Test
    void followsCommitsCoalescesBurstsAndListensAgainAfterTheDatabaseRestarts(@TempDir Path data) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = start(data, port);
        DashboardFeed feed = null;
        try {
            write(pg, "CREATE SCHEMA feed; CREATE TABLE feed.t (v int); INSERT INTO feed.t VALUES (1); "
                    + "CREATE FUNCTION feed.pulse_dashboard(p integer) RETURNS jsonb LANGUAGE sql STABLE AS "
                    + "$$ SELECT jsonb_build_object('v', (SELECT v FROM feed.t), 'amount', 1234.50, "
                    + "'generated_at', clock_timestamp()) $$;");
            BlockingQueue<String> docs = new LinkedBlockingQueue<>();
            List<Long> publishedAt = new CopyOnWriteArrayList<>();
            BlockingQueue<String> statuses = new LinkedBlockingQueue<>();
            DashboardLogin login = DashboardLogin.as("jdbc:postgresql://localhost:" + port + "/postgres", "postgres",
                    null, "feed");
            feed = new DashboardFeed(login, d -> {
                publishedAt.add(System.nanoTime());
                docs.add(d);
            }, statuses::add).start();

            assertThat(next(docs, "\"v\":\"1\"")).contains("\"amount\":\"1234.50\"");
            assertThat(next(statuses, "live")).isEqualTo("live");
            commit(pg, "feed", 2);
            next(docs, "\"v\":\"2\"");

            // Another schema's commit: no call, no document (the next document seen is the one of v = 3).
            commit(pg, "other", 99);
            commit(pg, "feed", 3);
            assertThat(next(docs, "\"v\":")).contains("\"v\":\"3\"");

            // A burst: 40 commits; the last value arrives, and documents come at least 500 ms apart.
            publishedAt.clear();
            for (int v = 100; v < 140; v++) {
                commit(pg, "feed", v);
            }
            next(docs, "\"v\":\"139\"");
            for (int i = 1; i < publishedAt.size(); i++) {
                assertThat(publishedAt.get(i) - publishedAt.get(i - 1)).isGreaterThanOrEqualTo(
                        DashboardFeed.COALESCE.toNanos() - Duration.ofMillis(5).toNanos());
            }
            assertThat(publishedAt.size()).isLessThan(40);

            // The database restarts: the feed says so, connects again, LISTENs again, and follows the next commit.
            statuses.clear();
            pg.close();
            next(statuses, "reconnecting");
            pg = start(data, port);
            next(statuses, "live");
            commit(pg, "feed", 7);
            next(docs, "\"v\":\"7\"");
        } finally {
            if (feed != null) {
                feed.close();
            }
            pg.close();
        }
    }
}
