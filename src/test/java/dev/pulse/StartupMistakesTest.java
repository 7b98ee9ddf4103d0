package dev.pulse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up mistakes through {@link Main#run}: exit 2, exactly one line on stderr, nothing on stdout, no secret. */
class StartupMistakesTest {
    /** What one run of Main printed. */
    record Printed(int code, List<String> out, List<String> err) {
        List<String> all() {
            return java.util.stream.Stream.concat(out.stream(), err.stream()).toList();
        }
    }

    static Printed run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Printed(code, lines(out), lines(err));
    }

    private static List<String> lines(ByteArrayOutputStream s) {
        String text = s.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    private static void assertOneLine(Printed p, String line) {
        assertThat(p.code()).as("exit status").isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err()).containsExactly(line);
    }

    @Test
    void numbersBeyondIntExitTwoNamingTheRangeInsteadOfWrappingRound() {
        assertOneLine(run(Map.of(), "--top-n", "4294967297"), "pulse: --top-n: '4294967297' is out of range; give a whole "
                + "number from 1 to 1000 (products per top-N window, 1 to 1000)");
        assertOneLine(run(Map.of(), "--parallelism", "4294967296"), "pulse: --parallelism: '4294967296' is out of range; "
                + "give a whole number from 1 to 32768 (job parallelism, 1 to 32768)");
    }

    @Test
    void aHugeDurationExitsTwoWithTheLimit() {
        assertOneLine(run(Map.of(), "--session-gap", "99999999999999999999d"), "pulse: --session-gap: "
                + "'99999999999999999999d' is too long; give at most 3650d (inactivity gap that closes a user session)");
    }

    @Test
    void aMalformedJdbcUrlExitsTwoNamingTheExpectedForm() {
        assertOneLine(run(Map.of(), "--jdbc-url", "jdbc:postgresql://127.0.0.1:notaport/db"), "pulse: --jdbc-url: port "
                + "'notaport' of host 127.0.0.1 is not a number from 1 to 65535; write "
                + "jdbc:postgresql://host[:port][,host[:port]...]/database[?params]");
    }

    @Test
    void anUnreachableServerIsNamedByHostPortAndDatabaseOnlyNotTheUrlParameters() {
        Printed p = run(Map.of(), "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/pulse?ApplicationName=secretive&connectTimeout=3");
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err()).singleElement().asString()
                .startsWith("pulse: --jdbc-url: cannot reach PostgreSQL at 127.0.0.1:1/pulse (")
                .endsWith("); start the server or correct --jdbc-url")
                .doesNotContain("secretive").doesNotContain("currentSchema");
    }

    @Test
    void anUnknownHostIsSaidSo() {
        assertOneLine(run(Map.of(), "--jdbc-url", "jdbc:postgresql://nosuchhost.invalid/pulse"), "pulse: --jdbc-url: cannot "
                + "reach PostgreSQL at nosuchhost.invalid:5432/pulse (unknown host nosuchhost.invalid); correct the host in --jdbc-url");
    }

    @Test
    void aPasswordInsideTheJdbcUrlExitsTwoAndIsNeverPrinted() {
        String refused = "pulse: --jdbc-url: a password parameter is not accepted in the URL (command lines show in "
                + "process lists and logs); set the environment variable PULSE_JDBC_PASSWORD instead";
        for (String url : List.of("jdbc:postgresql://127.0.0.1:1/pulse?password=hunter2",
                "jdbc:postgresql://127.0.0.1:1/pulse?sslmode=disable&PASSWORD=hunter2",
                "jdbc:postgresql://127.0.0.1:notaport/pulse?Password=hunter2")) {
            Printed p = run(Map.of("PULSE_JDBC_PASSWORD", "other"), "--jdbc-url", url);
            assertOneLine(p, refused);
        }
        Printed ssl = run(Map.of(), "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/pulse?sslpassword=hunter2");
        assertThat(ssl.code()).isEqualTo(2);
        assertThat(ssl.err()).singleElement().asString().startsWith("pulse: --jdbc-url: an sslpassword parameter is not accepted");
        Printed userInfo = run(Map.of(), "--jdbc-url", "jdbc:postgresql://bob:hunter2@127.0.0.1/pulse");
        assertThat(userInfo.code()).isEqualTo(2);
        assertThat(userInfo.err()).singleElement().asString().startsWith("pulse: --jdbc-url: a user or password before '@'");
        assertThat(ssl.all()).noneMatch(l -> l.contains("hunter2"));
        assertThat(userInfo.all()).noneMatch(l -> l.contains("hunter2"));
    }

    @Test
    void aDashboardPortOnAClusterExitsTwoPointingAtBinPulseDashboard() {
        assertOneLine(run(Map.of(), "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/db", "--dashboard-port", "8090"),
                "pulse: --dashboard-port: only for local runs (bin/pulse); for a job on a cluster serve the page with "
                        + "bin/pulse-dashboard --jdbc-url ... --schema ...");
        assertOneLine(run(Map.of(), "--dashboard-port", "65536"), "pulse: --dashboard-port: '65536' is out of range; give "
                + "a whole number from 0 to 65535 (bin/pulse only: port of the live dashboard page on localhost; 0 turns "
                + "it off (the default 8088, when busy, becomes a free port))");
    }
}
