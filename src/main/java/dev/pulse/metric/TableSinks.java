package dev.pulse.metric;

import org.apache.flink.api.connector.sink2.Sink;

import java.io.Serializable;

/** Makes the sink of a metric table from its descriptor (PostgreSQL in the job; anything in a test). */
public interface TableSinks extends Serializable {
    <T extends dev.pulse.window.WindowRow> Sink<T> upsert(SinkTable<T> table);
}
