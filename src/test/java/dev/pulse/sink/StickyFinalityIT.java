package dev.pulse.sink;

import dev.pulse.sliding.SlidingMetrics;
import dev.pulse.support.TestPostgres;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sinks' upsert against real PostgreSQL: a later write replaces a row's values, but a non-final write never turns
 * a final row back into an early one (what a restored operator, which starts without a watermark, would re-emit).
 */
class StickyFinalityIT {
    private static final String SCHEMA = "sticky_final";

    @Test
    void aNonFinalRewriteOfAFinalRowTakesItsValuesAndKeepsItFinal() throws Exception {
        SchemaInstaller.install(new JdbcSettings(TestPostgres.jdbcUrl(), "postgres", null, SCHEMA));
        try (Connection c = TestPostgres.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET search_path TO " + SCHEMA);
            }
            upsert(c, 10, "100.00", true);
            upsert(c, 11, "110.00", false); // a restored operator's early re-emission, with a late update in it
            assertThat(TestPostgres.rows("SELECT orders, gmv, is_final FROM " + SCHEMA + ".gmv_sliding"))
                    .containsExactly("11|110.00|t");
            upsert(c, 12, "120.00", true);
            upsert(c, 1, "1.00", false);
            assertThat(TestPostgres.rows("SELECT orders, gmv, is_final FROM " + SCHEMA + ".gmv_sliding ORDER BY window_end"))
                    .containsExactly("12|120.00|t", "1|1.00|f");
        }
    }

    private static void upsert(Connection c, long orders, String gmv, boolean isFinal) throws Exception {
        boolean first = orders != 1;
        try (PreparedStatement ps = c.prepareStatement(SlidingMetrics.GMV_TABLE.upsertSql())) {
            ps.setInt(1, 300);
            ps.setTimestamp(2, Timestamp.valueOf(first ? "2025-10-04 00:00:00" : "2025-10-04 00:05:00"));
            ps.setTimestamp(3, Timestamp.valueOf(first ? "2025-10-03 23:55:00" : "2025-10-04 00:00:00"));
            ps.setLong(4, orders);
            ps.setBigDecimal(5, new BigDecimal(gmv));
            ps.setLong(6, 1);
            ps.setBoolean(7, isFinal);
            ps.executeUpdate();
        }
    }
}
