package dev.pulse.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
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
                .hasMessageContaining("jdbc:postgresql://host:5432/database");
        assertThatThrownBy(() -> parse("--schema", "Robert'); DROP")).hasMessageStartingWith("--schema:");
        assertThatThrownBy(() -> parse("--source", "kafka")).hasMessageStartingWith("--kafka-bootstrap: required");
        assertThatThrownBy(() -> parse("--top-n", "3", "--top-n", "4")).hasMessageStartingWith("--top-n: given twice");
    }

    @Test
    void helpListsEveryOption() {
        String help = PulseOptions.helpTable();
        for (PulseOptions.Option<?> o : PulseOptions.ALL) {
            assertThat(help).contains("--" + o.name());
        }
    }
}
