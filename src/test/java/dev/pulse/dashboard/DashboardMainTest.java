package dev.pulse.dashboard;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/pulse-dashboard's start-up mistakes that need no database: exit 2, one line naming the option and the fix. */
class DashboardMainTest {
    private static String mistake(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DashboardServer[] started = new DashboardServer[1];
        int code = DashboardMain.start(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), started);
        assertThat(code).isEqualTo(2);
        assertThat(started[0]).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e.lines().count()).as(e).isEqualTo(1);
        return e.strip();
    }

    @Test
    void optionMistakesExitTwoWithOneLine() {
        assertThat(mistake(Map.of())).isEqualTo("pulse-dashboard: --jdbc-url: required; give "
                + "jdbc:postgresql://host:5432/db (the database a Pulse job writes to)");
        assertThat(mistake(Map.of(), "--jdbc-url", "jdbc:postgresql://db/x", "--jdbc-password", "secret"))
                .startsWith("pulse-dashboard: --jdbc-password: passwords are never taken on the command line")
                .doesNotContain("secret");
        assertThat(mistake(Map.of(), "--jdbc-url", "jdbc:postgresql://db/x?password=secret"))
                .startsWith("pulse-dashboard: --jdbc-url: a password parameter is not accepted").doesNotContain("secret");
        assertThat(mistake(Map.of(), "--jdbc-url", "jdbc:postgresql://db/x", "--port", "70000"))
                .isEqualTo("pulse-dashboard: --port: '70000' is not a port; give a number from 1 to 65535 (default 8088)");
        assertThat(mistake(Map.of(), "--jdbc-url", "jdbc:postgresql://db/x", "--schema", "Bad-Name"))
                .startsWith("pulse-dashboard: --schema: 'Bad-Name' is not a plain lower-case SQL identifier");
        assertThat(mistake(Map.of(), "--jdbc-url", "jdbc:postgresql://db/x", "--colour", "red"))
                .isEqualTo("pulse-dashboard: --colour: unknown option; the options are --jdbc-url, --jdbc-user, --schema, "
                        + "--port, --bind (see --help)");
    }

    @Test
    void anUnreachableDatabaseExitsTwoNamingItWithoutThePassword() {
        assertThat(mistake(Map.of("PULSE_READER_PASSWORD", "hunter2-reader"), "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:1/pulse?connectTimeout=2"))
                .startsWith("pulse-dashboard: --jdbc-url: cannot read 127.0.0.1:1/pulse (")
                .doesNotContain("hunter2");
    }
}
