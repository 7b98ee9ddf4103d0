package dev.pulse.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestPostgresTest {
    @Test
    void startsARealServer() throws Exception {
        assertThat(TestPostgres.rows("SELECT current_setting('server_version_num')::int / 10000")).containsExactly("15");
    }
}
