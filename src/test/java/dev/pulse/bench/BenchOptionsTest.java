package dev.pulse.bench;

import dev.pulse.config.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {
    @Test
    void defaultsAreTheFullRun() throws Exception {
        BenchOptions o = BenchOptions.parse(new String[0]);
        assertThat(o.days()).isEqualTo(30);
        assertThat(o.clients()).isEqualTo(32);
        assertThat(o.refreshEvery()).isEqualTo(60);
        assertThat(o.questions()).hasSize(BiBench.QUESTIONS.size());
    }

    @Test
    void smokeIsSmallAndOptionsAfterItWin() throws Exception {
        BenchOptions o = BenchOptions.parse(new String[] {"--smoke", "--clients", "8"});
        assertThat(o.days()).isEqualTo(1);
        assertThat(o.seconds()).isEqualTo(2);
        assertThat(o.clients()).isEqualTo(8);
    }

    @Test
    void queriesPickASubsetInOrder() throws Exception {
        BenchOptions o = BenchOptions.parse(new String[] {"--queries", "dashboard,gmv_today"});
        assertThat(o.questions()).extracting(BiBench.Question::name).containsExactly("dashboard", "gmv_today");
    }

    @Test
    void mistakesAreOneLine() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--queries", "nope"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("no query named 'nope'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--driver", "odbc"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--driver");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--days"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--clients", "0"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("between");
    }

    @Test
    void everyQueryNamesItsSchemaOnly() {
        for (BiBench.Question q : BiBench.QUESTIONS) {
            for (BiBench.Design d : BiBench.DESIGNS) {
                String sql = q.sqlFor(d);
                assertThat(sql).doesNotContain("{s}").contains(d.schema() + ".");
            }
        }
    }

    @Test
    void percentilesAreNearestRank() {
        long[] micros = new long[100];
        for (int i = 0; i < 100; i++) {
            micros[i] = (100 - i) * 1000L; // 1..100 ms, unsorted
        }
        Latencies l = new Latencies(micros, 0, null, 2.0);
        assertThat(l.percentileMs(50)).isEqualTo(50.0);
        assertThat(l.percentileMs(99)).isEqualTo(99.0);
        assertThat(l.maxMs()).isEqualTo(100.0);
        assertThat(l.perSecond()).isEqualTo(50.0);
        assertThat(new Latencies(new long[0], 1, "x", 1.0).percentileMs(50)).isNaN();
    }
}
