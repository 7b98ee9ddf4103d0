package dev.pulse.clean;

import dev.pulse.events.DeadLetter;
import dev.pulse.events.Envelope;
import dev.pulse.events.Event;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes a stream's valid events on and sends bad records to the dead-letter side output. */
public class RouteDeadLetters<T extends Event> extends ProcessFunction<Envelope, T> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final String stream;
    private transient Counter in;
    private transient Counter dead;

    public RouteDeadLetters(String stream) {
        this.stream = stream;
    }

    @Override
    public void open(OpenContext openContext) {
        in = PulseMetrics.counter(getRuntimeContext().getMetricGroup(), stream + "In");
        dead = PulseMetrics.counter(getRuntimeContext().getMetricGroup(), stream + "DeadLetters");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement(Envelope envelope, Context ctx, Collector<T> out) {
        in.inc();
        if (envelope.isValid()) {
            out.collect((T) envelope.event());
        } else {
            dead.inc();
            ctx.output(DEAD_LETTERS, DeadLetter.of(envelope));
        }
    }
}
