package dev.pulse.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/pulse-produce}'s option mistakes, in both modes: exit 2, nothing sent, one line naming the option and fix. */
class PulseProduceOptionsTest {
    private static final String LIVE_ONLY = ": only for live traffic, not with --input; drop --input to generate "
            + "traffic, or drop --rate, --seed and --duration to replay the folder";

    /** What one run printed: exit status, standard output, standard error's lines. */
    record Printed(int code, String out, List<String> err) {}

    /** {@code bin/pulse-produce ARGS} in this JVM. */
    static Printed run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KafkaReplayProducer.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Printed(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private static void assertRefused(Printed p, String line) {
        assertThat(p.code()).as("exit status").isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err()).containsExactly("pulse-produce: " + line);
    }

    @Test
    void inputWithRateSeedOrDurationIsRefusedNamingTheLiveOption(@TempDir Path dir) {
        String input = dir.toString();
        assertRefused(run("--input", input, "--rate", "5", "--kafka-bootstrap", "127.0.0.1:9092"), "--rate" + LIVE_ONLY);
        assertRefused(run("--kafka-bootstrap", "127.0.0.1:9092", "--seed", "7", "--input", input), "--seed" + LIVE_ONLY);
        assertRefused(run("--duration", "5s", "--input", input), "--duration" + LIVE_ONLY);
    }

    @Test
    void aRateMustBeAWholeNumberFromOneTo100000() {
        for (String bad : List.of("0", "-5", "100001", "1.5", "fast", "99999999999999999999")) {
            assertRefused(run("--kafka-bootstrap", "127.0.0.1:9092", "--rate", bad),
                    "--rate: '" + bad + "' is not a whole number from 1 to 100000 (orders per second)");
        }
    }

    @Test
    void aBadSeedOrDurationNamesItsOption() {
        assertRefused(run("--kafka-bootstrap", "127.0.0.1:9092", "--rate", "5", "--seed", "x"),
                "--seed: 'x' is not a whole number (64-bit)");
        assertRefused(run("--kafka-bootstrap", "127.0.0.1:9092", "--rate", "5", "--duration", "0s"),
                "--duration: '0s' must be longer than 0");
        assertRefused(run("--kafka-bootstrap", "127.0.0.1:9092", "--rate", "5", "--duration", "soon"),
                "--duration: 'soon' is not a duration; write it as 500ms, 5s, 2min, 1h or 1d");
    }

    @Test
    void neitherInputNorRateSaysWhichOneToGive() {
        assertRefused(run("--kafka-bootstrap", "127.0.0.1:9092"), "--input or --rate: required; give --input DIR to "
                + "replay a folder, or --rate N (orders per second) to send live generated traffic");
        assertRefused(run("--kafka-bootstrap", "127.0.0.1:9092", "--seed", "7"),
                "--rate: required with --seed; give --rate N (orders per second), 1 to 100000");
    }

    @Test
    void liveTrafficNeedsABroker() {
        assertRefused(run("--rate", "5"), "--kafka-bootstrap: required; give host:port of a broker");
    }

    @Test
    void anUnknownOptionListsBothModes() {
        assertRefused(run("--to-kafka", "x"), "--to-kafka: unknown option; use --input DIR, or --rate N [--seed S] "
                + "[--duration D]; with --kafka-bootstrap [--partitions] [--topic-orders] [--topic-behavior] [--topic-payments]");
    }
}
