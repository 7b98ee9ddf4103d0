package dev.pulse.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PulseOptionsTest {
    private static PulseOptions parse(String... args) throws UsageException {
        return PulseOptions.parse(args, Map.of());
    }

    @Test
    void defaultsFollowTheContract() throws Exception {
        PulseOptions o = parse();
        assertThat(o.source()).isEqualTo(PulseOptions.SourceKind.GENERATOR);
        assertThat(o.rate()).isEqualTo(1000);
        assertThat(o.jdbcUser()).isEqualTo("pulse");
        assertThat(o.schema()).isEqualTo("public");
        assertThat(o.outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.allowedLateness()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.emitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.sessionGap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(o.topN()).isEqualTo(10);
    }

    @Test
    void parsesDurationsInEveryUnit() throws Exception {
        PulseOptions o = parse("--out-of-orderness", "500ms", "--allowed-lateness", "2min", "--session-gap", "1h",
                "--idle-timeout=5s");
        assertThat(o.outOfOrderness()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.allowedLateness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.sessionGap()).isEqualTo(Duration.ofHours(1));
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void takesTheFilesSourceWithAnExistingFolder(@TempDir Path dir) throws Exception {
        PulseOptions o = parse("--source", "files", "--input", dir.toString(), "--jdbc-url", "jdbc:postgresql://db/x");
        assertThat(o.input()).isEqualTo(dir);
        assertThat(o.jdbcUrl()).isEqualTo("jdbc:postgresql://db/x");
    }

    @Test
    void readsThePasswordOnlyFromTheEnvironmentAndNeverPrintsIt() throws Exception {
        PulseOptions o = PulseOptions.parse(new String[] {"--jdbc-user", "bob"}, Map.of(PulseOptions.PASSWORD_ENV, "s3cret"));
        assertThat(o.jdbcPassword()).isEqualTo("s3cret");
        assertThat(o.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> parse("--jdbc-password", "x"))
                .hasMessageContaining("--jdbc-password").hasMessageContaining(PulseOptions.PASSWORD_ENV);
    }

    @Test
    void namesTheOptionAndTheFixForEveryMistake(@TempDir Path dir) {
        assertThatThrownBy(() -> parse("--rate", "fast")).hasMessageStartingWith("--rate: 'fast' is not a whole number");
        assertThatThrownBy(() -> parse("--rate", "0")).hasMessageStartingWith("--rate: '0' must be greater than 0");
        assertThatThrownBy(() -> parse("--source", "s3")).hasMessageStartingWith("--source: 's3' is not one of generator, files, kafka");
        assertThatThrownBy(() -> parse("--emit-interval", "soon")).hasMessageContaining("--emit-interval")
                .hasMessageContaining("500ms, 5s, 2min");
        assertThatThrownBy(() -> parse("--colour", "red")).hasMessageStartingWith("--colour: unknown option");
        assertThatThrownBy(() -> parse("--rate")).hasMessageStartingWith("--rate: missing value");
        assertThatThrownBy(() -> parse("rate")).hasMessageContaining("unexpected argument 'rate'");
        assertThatThrownBy(() -> parse("--source", "files")).hasMessageStartingWith("--input: required with --source files");
        assertThatThrownBy(() -> parse("--source", "files", "--input", dir.resolve("nope").toString()))
                .hasMessageContaining("is not a folder");
        assertThatThrownBy(() -> parse("--source", "files", "--input", dir.toString(), "--rate", "5"))
                .hasMessageStartingWith("--rate: only used with --source generator");
        assertThatThrownBy(() -> parse("--jdbc-url", "postgres://x")).hasMessageStartingWith("--jdbc-url:")
                .hasMessageContaining("jdbc:postgresql://host[:port][,host[:port]...]/database[?params]");
        assertThatThrownBy(() -> parse("--schema", "Robert'); DROP")).hasMessageStartingWith("--schema:");
        assertThatThrownBy(() -> parse("--source", "kafka")).hasMessageStartingWith("--kafka-bootstrap: required");
        assertThatThrownBy(() -> parse("--top-n", "3", "--top-n", "4")).hasMessageStartingWith("--top-n: given twice");
    }

    @Test
    void wholeNumbersAreRangeCheckedBeforeTheyAreNarrowedToInt() throws Exception {
        assertThatThrownBy(() -> parse("--top-n", "4294967297")).hasMessage("--top-n: '4294967297' is out of range; "
                + "give a whole number from 1 to 1000 (products per top-N window, 1 to 1000)");
        assertThatThrownBy(() -> parse("--top-n", "1001")).hasMessageStartingWith("--top-n: '1001' is out of range");
        assertThatThrownBy(() -> parse("--top-n", "0")).hasMessageStartingWith("--top-n: '0' is out of range");
        assertThatThrownBy(() -> parse("--top-n", "99999999999999999999")).hasMessageStartingWith("--top-n: '99999999999999999999' is out of range");
        assertThatThrownBy(() -> parse("--parallelism", "4294967296")).hasMessage("--parallelism: '4294967296' is out of "
                + "range; give a whole number from 1 to 32768 (job parallelism, 1 to 32768)");
        assertThatThrownBy(() -> parse("--parallelism", "-1")).hasMessageStartingWith("--parallelism: '-1' is out of range");
        assertThatThrownBy(() -> parse("--rate", "99999999999999999999")).hasMessageStartingWith("--rate: '99999999999999999999' is too large");
        assertThat(parse("--top-n", "1000", "--parallelism", "32768").topN()).isEqualTo(1000);
        assertThat(parse("--parallelism", "1").parallelism()).isEqualTo(1);
    }

    @Test
    void durationsTooLongForMillisecondArithmeticAreRefusedWithTheLimit() throws Exception {
        assertThatThrownBy(() -> parse("--session-gap", "99999999999999999999d")).hasMessage("--session-gap: "
                + "'99999999999999999999d' is too long; give at most 3650d (inactivity gap that closes a user session)");
        assertThatThrownBy(() -> parse("--allowed-lateness", "9999999999999999d")).hasMessageStartingWith("--allowed-lateness: '9999999999999999d' is too long");
        assertThatThrownBy(() -> parse("--duration", "3651d")).hasMessageStartingWith("--duration: '3651d' is too long");
        assertThat(parse("--session-gap", "3650d").sessionGap()).isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void takesJdbcUrlsOfTheDocumentedFormAndPrintsOnlyHostsPortsAndDatabase() throws Exception {
        assertThat(PulseOptions.JdbcUrl.target("jdbc:postgresql://db/analytics")).isEqualTo("db:5432/analytics");
        assertThat(PulseOptions.JdbcUrl.target("jdbc:postgresql://a.example:6432,b-2:5433/x?sslmode=require&targetServerType=primary"))
                .isEqualTo("a.example:6432,b-2:5433/x");
        assertThat(PulseOptions.JdbcUrl.target("jdbc:postgresql://[::1]:5432,[fe80::1%eth0]/db")).isEqualTo("[::1]:5432,[fe80::1%eth0]:5432/db");
        PulseOptions o = parse("--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/pulse?ApplicationName=pulse");
        assertThat(o.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/pulse?ApplicationName=pulse");
        assertThat(o.toString()).isEqualTo("--jdbc-url 127.0.0.1:5432/pulse");
    }

    @Test
    void refusesAMalformedJdbcUrlNamingTheOptionAndTheForm() {
        String form = "; write jdbc:postgresql://host[:port][,host[:port]...]/database[?params]";
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://127.0.0.1:notaport/db"))
                .hasMessage("--jdbc-url: port 'notaport' of host 127.0.0.1 is not a number from 1 to 65535" + form);
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db:0/x")).hasMessage("--jdbc-url: port '0' of host db is not a number from 1 to 65535" + form);
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db:65536/x")).hasMessageStartingWith("--jdbc-url: port '65536'");
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db:/x")).hasMessageStartingWith("--jdbc-url: port ''");
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db")).hasMessage("--jdbc-url: no database named" + form);
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db/")).hasMessage("--jdbc-url: no database named" + form);
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql:///x")).hasMessage("--jdbc-url: a host is missing" + form);
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://a,,b/x")).hasMessage("--jdbc-url: a host is missing" + form);
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db host/x")).hasMessage("--jdbc-url: 'db host' is not a host[:port]" + form);
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql:analytics")).hasMessage("--jdbc-url: not a PostgreSQL JDBC URL" + form);
    }

    @Test
    void refusesAPasswordInsideTheJdbcUrlWithoutRepeatingIt() {
        for (String url : List.of("jdbc:postgresql://db/x?password=hunter2", "jdbc:postgresql://db/x?user=a&PassWord=hunter2",
                "jdbc:postgresql://db:notaport/x?ssl=true&password=hunter2", "jdbc:postgresql://db/x?pass%77ord=hunter2",
                "postgres://db/x?password=hunter2")) {
            assertThatThrownBy(() -> parse("--jdbc-url", url)).as(url)
                    .hasMessage("--jdbc-url: a password parameter is not accepted in the URL (command lines show in process "
                            + "lists and logs); set the environment variable PULSE_JDBC_PASSWORD instead");
        }
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db/x?sslkey=k.pk8&SSLPASSWORD=hunter2"))
                .hasMessageStartingWith("--jdbc-url: an sslpassword parameter is not accepted in the URL")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://bob:hunter2@db/x"))
                .hasMessageStartingWith("--jdbc-url: a user or password before '@' is not accepted; give the user with "
                        + "--jdbc-user, the password in the environment variable PULSE_JDBC_PASSWORD")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void helpListsEveryOption() {
        String help = PulseOptions.helpTable();
        for (PulseOptions.Option<?> o : PulseOptions.ALL) {
            assertThat(help).contains("--" + o.name());
        }
    }

    @Test
    void kafkaOptionsWithAnotherSourceAreRefusedNotIgnored() {
        assertThatThrownBy(() -> parse("--kafka-stop", "latest"))
                .hasMessage("--kafka-stop: only used with --source kafka; drop it or use --source kafka");
        assertThatThrownBy(() -> parse("--source", "files", "--input", ".", "--topic-orders", "o"))
                .hasMessageStartingWith("--topic-orders: only used with --source kafka");
    }

    @Test
    void tablesAreAListOfNamesAndAllWhenNotGiven() throws Exception {
        assertThat(parse().tables()).isNull();
        assertThat(parse("--tables", "order_metrics, funnel_metrics").tables())
                .containsExactly("order_metrics", "funnel_metrics");
        assertThatThrownBy(() -> parse("--tables", "order_metrics;drop")).hasMessageStartingWith("--tables: ");
    }
}
