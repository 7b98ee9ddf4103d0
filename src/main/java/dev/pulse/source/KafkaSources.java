package dev.pulse.source;

import dev.pulse.config.PulseOptions;
import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * One {@link KafkaSource} per stream, from {@code --kafka-bootstrap}, {@code --kafka-group}, the stream's
 * {@code --topic-...}, {@code --kafka-start} and {@code --kafka-stop}. Offsets are committed to the group at each
 * completed checkpoint: they only tell a fresh start ({@code --kafka-start committed}) where to go on, and a
 * restore always starts from the offsets in the checkpoint itself.
 *
 * <p>Records are read per partition, in offset order, by one reader; the watermark strategy given to
 * {@code env.fromSource} runs per partition (split). Producers key orders by {@code order_id}, so all events of one
 * order arrive over one channel in partition order: "first {@code paid} event in arrival order" is that order.
 */
public final class KafkaSources {
    private KafkaSources() {}

    public static KafkaSource<Envelope> of(PulseOptions options, StreamName stream, EventParser parser) {
        KafkaSourceBuilder<Envelope> builder = KafkaSource.<Envelope>builder()
                .setBootstrapServers(options.kafkaBootstrap())
                .setTopics(options.topic(stream))
                .setGroupId(options.kafkaGroup())
                // Distinct per stream: three consumers in one JVM must not share client ids (metrics, quotas).
                .setClientIdPrefix(options.kafkaGroup() + "-" + stream.label())
                .setStartingOffsets(startingOffsets(options.kafkaStart()))
                .setDeserializer(new KafkaEnvelopeDeserializer(stream, parser))
                .setProperty(KafkaSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT.key(), "true");
        if (options.kafkaStop() == PulseOptions.KafkaStop.LATEST) {
            // End offsets are taken when partitions are assigned, at start; the source then finishes, and
            // end of input moves the watermark to the end of time, so every window closes as in a files run.
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    static OffsetsInitializer startingOffsets(PulseOptions.KafkaStart start) {
        switch (start) {
            case EARLIEST: return OffsetsInitializer.earliest();
            case LATEST: return OffsetsInitializer.latest();
            default: return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }
}
