package dev.pulse.source;

import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One Kafka record of one stream into an {@link Envelope}: the value's bytes go to the same {@link EventParser}
 * as a file line's (size, strict UTF-8, JSON, field rules), with {@code topic/partition/offset} as the source.
 * The key is not read: it only places the record in a partition. Every record yields exactly one envelope,
 * a null value (a tombstone) included, so nothing a producer writes can fail the job.
 */
public class KafkaEnvelopeDeserializer implements KafkaRecordDeserializationSchema<Envelope> {
    private static final long serialVersionUID = 1L;

    static final String NULL_VALUE = "record has no value (null); a JSON object is expected";

    private final StreamName stream;
    private final EventParser parser;

    public KafkaEnvelopeDeserializer(StreamName stream, EventParser parser) {
        this.stream = stream;
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Envelope> out) {
        out.collect(toEnvelope(record));
    }

    Envelope toEnvelope(ConsumerRecord<byte[], byte[]> record) {
        String source = record.topic() + "/" + record.partition() + "/" + record.offset();
        byte[] value = record.value();
        if (value == null) {
            return Envelope.bad(stream, source, NULL_VALUE, "");
        }
        return parser.parse(stream, value, 0, value.length, source);
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }
}
