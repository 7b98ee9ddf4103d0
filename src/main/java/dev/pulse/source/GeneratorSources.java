package dev.pulse.source;

import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.time.Duration;

/**
 * Sources over the {@link EventGenerator}, paced by {@link PacedRateLimiter}: record n of each stream is generated
 * as JSON text and parsed like any other input, so malformed records take the same path as on Kafka or in files.
 */
public final class GeneratorSources {
    private GeneratorSources() {}

    /** {@code span} null: unbounded. */
    public static DataGeneratorSource<Envelope> of(EventGenerator generator, StreamName stream, Duration span,
                                                  EventParser parser) {
        long count = span == null ? Long.MAX_VALUE : generator.count(stream, span);
        GeneratorFunction<Long, Envelope> fn =
                n -> parser.parse(stream, generator.line(stream, n), "generator:" + stream.label() + ":" + n);
        return new DataGeneratorSource<>(fn, count,
                PacedRateLimiter.perSecond(generator.ratePerSecond(stream)), TypeInformation.of(Envelope.class));
    }
}
