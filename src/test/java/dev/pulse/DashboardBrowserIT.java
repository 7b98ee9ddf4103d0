package dev.pulse;

import dev.pulse.dashboard.DashboardLogin;
import dev.pulse.dashboard.DashboardServer;
import dev.pulse.sink.ReaderRole;
import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.support.Chromium;
import dev.pulse.support.TestPostgres;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live page in a real browser: Pulse replays a seeded dataset (disorder, re-deliveries, malformed and late
 * records) into PostgreSQL, {@link DashboardServer} serves it as {@code pulse_reader}, and headless Chromium opens
 * it. Every panel fills; the GMV shown is the {@code gmv_total} row of today, formatted; a committed write reaches
 * the open page over LISTEN/NOTIFY and Server-Sent Events without a reload, also after the dashboard's database
 * connections were killed; no secret is on the page. Screenshot: {@code target/dashboard.png}.
 */
class DashboardBrowserIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String SCHEMA = "dash";
    private static final String READER_PASSWORD = "reader-pw-5c1e";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<String> PANELS = List.of("kpis", "gmv-trend", "orders-trend", "funnel", "regions",
            "payments", "top-5min", "top-1h", "bad-input");

    @TempDir
    static Path dir;
    private static DashboardServer server;

    @BeforeAll
    static void replayAndServe() throws Exception {
        EventGenerator generator = new EventGenerator(29, 10, Instant.parse("2025-10-04T09:41:00Z").toEpochMilli(),
                EventGenerator.Faults.standard().withLate(0.02, Duration.ofMinutes(5)));
        DatasetWriter.write(dir.resolve("data"), generator, Duration.ofMinutes(30));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[] {"--source", "files", "--input", dir.resolve("data").toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", SCHEMA, "--parallelism", "2"},
                Map.of(ReaderRole.PASSWORD_ENV, READER_PASSWORD), print, print);
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        server = DashboardServer.bind(InetAddress.getLoopbackAddress(), 0)
                .start(DashboardLogin.preferReader(TestPostgres.jdbcUrl(), SCHEMA, READER_PASSWORD, "postgres", null));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** What the page must show for a decimal: thousands separators, 2 places, half away from zero (as round()). */
    static String money(String decimal) {
        DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f.format(new BigDecimal(decimal));
    }

    private static String sql(String query) throws SQLException {
        return TestPostgres.rows(query.replace("$s", SCHEMA)).get(0);
    }

    /** Today's gmv_total row: the daily (*,*) row of the day the screen calls today. */
    private static String gmvTotalToday() throws SQLException {
        return sql("SELECT g.gmv FROM $s.gmv_total g JOIN $s.bi_gmv_today t ON g.grain = '1d' AND g.window_start = t.day_start");
    }

    private static Set<String> dashboardBackends() throws SQLException {
        return new HashSet<>(TestPostgres.rows("SELECT pid FROM pg_stat_activity WHERE application_name = '"
                + DashboardLogin.APPLICATION_NAME + "'"));
    }

    @Test
    void everyPanelFillsTheGmvIsTheGmvTotalRowAndACommittedWriteReachesTheOpenPageWithoutReload(@TempDir Path profile)
            throws Exception {
        try (Chromium browser = Chromium.launch(profile, 1600, 1250)) {
            browser.navigate(server.url());
            for (String panel : PANELS) {
                browser.await("document.querySelector('[data-panel=\"" + panel + "\"]').dataset.filled === 'true'",
                        PATIENCE, "panel " + panel + " filled");
            }
            assertThat(browser.consoleMessages()).as("console").noneMatch(m -> m.startsWith("error") || m.startsWith("exception"));

            // GMV today = the gmv_total row, formatted from its decimal digits; the last hour = its minutes summed.
            String gmv = gmvTotalToday();
            assertThat(new BigDecimal(gmv)).isPositive();
            assertThat(browser.text("document.getElementById('gmv-today').textContent")).isEqualTo(money(gmv));
            String hour = sql("SELECT sum(g.gmv) FROM $s.gmv_total g WHERE g.grain = '1m' AND g.window_start >= "
                    + "$s.bi_now() - interval '60 minutes' AND g.window_start < $s.bi_now()");
            assertThat(browser.text("document.getElementById('gmv-hour').textContent")).isEqualTo(money(hour));
            assertThat(browser.text("document.getElementById('orders-today').textContent"))
                    .isEqualTo(String.format(Locale.ROOT, "%,d", Long.parseLong(
                            sql("SELECT g.orders FROM $s.gmv_total g JOIN $s.bi_gmv_today t ON g.grain = '1d' "
                                    + "AND g.window_start = t.day_start"))));

            // Every panel shows rows: 60 bars and 60 dots, four funnel steps, regions in Chinese, methods, two top 10s,
            // the bad input this replay had.
            assertThat(browser.eval("document.querySelectorAll('#gmv-chart rect.bar').length").asInt()).isEqualTo(60);
            assertThat(browser.eval("document.querySelectorAll('#orders-chart circle.dot').length").asInt()).isEqualTo(60);
            assertThat(browser.eval("document.querySelectorAll('#funnel .row').length").asInt()).isEqualTo(4);
            assertThat(browser.text("document.getElementById('regions').textContent")).contains("华东", "华北", "华南");
            assertThat(browser.eval("document.querySelectorAll('#payments tbody tr').length").asInt()).isGreaterThan(2);
            assertThat(browser.eval("document.querySelectorAll('#top-5min tbody tr').length").asInt()).isEqualTo(10);
            assertThat(browser.eval("document.querySelectorAll('#top-1h tbody tr').length").asInt()).isEqualTo(10);
            assertThat(browser.text("document.getElementById('dead-letters').textContent")).isEqualTo(
                    String.format(Locale.ROOT, "%,d", Long.parseLong(sql("SELECT count(*) FROM $s.dead_letters"))));
            assertThat(browser.text("document.getElementById('late-events').textContent")).isEqualTo(
                    String.format(Locale.ROOT, "%,d", Long.parseLong(sql("SELECT count(*) FROM $s.late_events"))));
            assertThat(Long.parseLong(sql("SELECT count(*) FROM $s.late_events"))).isPositive();
            // A CJK font draws the region names (a missing one would leave empty boxes of one width for every glyph).
            assertThat(browser.eval("document.fonts.check('14px \"WenQuanYi Zen Hei\"', '华东')").asBoolean()).isTrue();

            // The formatter works on the decimal strings, beyond what a double holds.
            assertThat(browser.text("PulseFormat.money('12345678901234567.895')")).isEqualTo("12,345,678,901,234,567.90");
            assertThat(browser.text("PulseFormat.money('0.1')")).isEqualTo("0.10");
            assertThat(browser.text("PulseFormat.money('-0.004')")).isEqualTo("0.00");
            assertThat(browser.text("PulseFormat.money('999.995')")).isEqualTo("1,000.00");
            assertThat(browser.text("PulseFormat.percent('0.8765')")).isEqualTo("87.7%");
            assertThat(browser.text("PulseFormat.percent('1.0000')")).isEqualTo("100.0%");
            assertThat(browser.text("PulseFormat.count('1234567')")).isEqualTo("1,234,567");

            // A committed write: NOTIFY at commit -> one call of pulse_dashboard -> SSE -> the open page.
            browser.eval("window.__sameDocument = 'yes'");
            int updates = browser.eval("Number(document.body.dataset.updates)").asInt();
            TestPostgres.execute("UPDATE " + SCHEMA + ".order_metrics SET gmv = gmv + 1000.01 WHERE grain = '1d' "
                    + "AND region = '*' AND city = '*' AND window_start = (SELECT day_start FROM " + SCHEMA + ".bi_gmv_today)");
            String updated = gmvTotalToday();
            assertThat(new BigDecimal(updated)).isEqualByComparingTo(new BigDecimal(gmv).add(new BigDecimal("1000.01")));
            browser.await("document.getElementById('gmv-today').textContent === '" + money(updated) + "'", PATIENCE,
                    "the committed GMV on the open page");
            assertThat(browser.text("window.__sameDocument")).as("no reload").isEqualTo("yes");
            assertThat(browser.eval("Number(document.body.dataset.updates)").asInt()).isGreaterThan(updates);

            // The dashboard's connections die (as in a database restart): it connects and LISTENs again, and the
            // next commit still reaches the page.
            Set<String> before = dashboardBackends();
            assertThat(before).hasSize(2);
            TestPostgres.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + DashboardLogin.APPLICATION_NAME + "'");
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while ((dashboardBackends().size() < 2 || dashboardBackends().stream().anyMatch(before::contains))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(dashboardBackends()).hasSize(2).doesNotContainAnyElementsOf(before);
            browser.await("document.getElementById('status').dataset.status === 'live'", PATIENCE, "live again");
            TestPostgres.execute("UPDATE " + SCHEMA + ".order_metrics SET gmv = gmv - 1000.01 WHERE grain = '1d' "
                    + "AND region = '*' AND city = '*' AND window_start = (SELECT day_start FROM " + SCHEMA + ".bi_gmv_today)");
            browser.await("document.getElementById('gmv-today').textContent === '" + money(gmv) + "'", PATIENCE,
                    "the GMV after the reconnect");
            assertThat(browser.text("window.__sameDocument")).as("no reload").isEqualTo("yes");

            // It read as the read-only role; no password anywhere the browser can see.
            String footer = browser.text("document.getElementById('source').textContent");
            assertThat(footer).contains("as " + ReaderRole.NAME + " (read-only role)");
            String seen = browser.text("document.documentElement.outerHTML") + browser.text(
                    "Promise.all(['/api/status', '/api/dashboard', '/dashboard.js'].map(u => fetch(u).then(r => r.text())))"
                            + ".then(a => a.join('\\n'))");
            assertThat(seen).doesNotContain(READER_PASSWORD).contains("\"as_of\"");

            Path shot = Path.of("target", "dashboard.png");
            browser.screenshot(shot);
            assertThat(Files.size(shot)).isGreaterThan(20_000);
        }
    }
}
