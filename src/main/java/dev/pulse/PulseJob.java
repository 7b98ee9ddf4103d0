package dev.pulse;

import dev.pulse.clean.Deduplicate;
import dev.pulse.clean.LateFilter;
import dev.pulse.clean.RouteDeadLetters;
import dev.pulse.config.PulseOptions;
import dev.pulse.events.DeadLetter;
import dev.pulse.events.Envelope;
import dev.pulse.events.Event;
import dev.pulse.events.LateEvent;
import dev.pulse.events.OrderEvent;
import dev.pulse.events.BehaviorEvent;
import dev.pulse.events.PaymentEvent;
import dev.pulse.events.StreamName;
import dev.pulse.orders.OrderAggregate;
import dev.pulse.orders.OrderFact;
import dev.pulse.orders.OrderMetricRow;
import dev.pulse.orders.OrderRollup;
import dev.pulse.orders.OrderWindowFunction;
import dev.pulse.orders.RegionCityKey;
import dev.pulse.window.EarlyFiringTrigger;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

import java.time.Duration;

/** The Pulse topology. {@code Main} wires real sources and sinks into it; tests wire bounded ones. */
public final class PulseJob {
    /** Stable operator ids: savepoints map state by these, so they never change once released. */
    public static final class Uid {
        public static final String DEAD_LETTER_SINK = "dead-letters-sink";
        public static final String LATE_EVENT_SINK = "late-events-sink";
        public static final String ORDER_ROLLUP = "order-rollup";
        public static final String ORDER_METRICS_SINK = "order-metrics-sink";

        public static String source(StreamName s) { return s.label() + "-source"; }
        public static String route(StreamName s) { return s.label() + "-route-dead-letters"; }
        public static String dedupe(StreamName s) { return s.label() + "-dedupe"; }
        public static String lateFilter(StreamName s) { return s.label() + "-late-filter"; }
        public static String orderWindow(String grain) { return "order-metrics-" + grain; }

        private Uid() {}
    }

    /** Lateness is judged against the finest window of every metric: one minute. */
    public static final Duration FINEST_WINDOW = Duration.ofMinutes(1);

    /** The three inputs and the watermark strategy they share; {@code parallelism} null means the job's. */
    public record Sources(Source<Envelope, ?, ?> orders, Source<Envelope, ?, ?> behavior,
                          Source<Envelope, ?, ?> payments, WatermarkStrategy<Envelope> watermarks,
                          Integer parallelism) {}

    public record Sinks(Sink<OrderMetricRow> orderMetrics, Sink<DeadLetter> deadLetters, Sink<LateEvent> lateEvents) {}

    /** One stream after cleaning: its valid, de-duplicated, on-time events and what was set aside. */
    private record Cleaned<T>(DataStream<T> events, DataStream<DeadLetter> deadLetters, DataStream<LateEvent> late) {}

    private PulseJob() {}

    /** Settings every Pulse run must have: no Kryo, and no operator without an explicit uid. */
    public static Configuration requiredConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        return conf;
    }

    public static void defineWorkflow(StreamExecutionEnvironment env, Sources sources, Sinks sinks,
                                      PulseOptions options) {
        Cleaned<OrderEvent> orders = clean(env, sources, sources.orders(), StreamName.ORDERS, OrderEvent.class, options);
        Cleaned<BehaviorEvent> behavior =
                clean(env, sources, sources.behavior(), StreamName.BEHAVIOR, BehaviorEvent.class, options);
        Cleaned<PaymentEvent> payments =
                clean(env, sources, sources.payments(), StreamName.PAYMENTS, PaymentEvent.class, options);

        // order_metrics: paid/cancelled events at three rollup levels, tumbling 1 min, 1 h, 1 day.
        KeyedStream<OrderFact, Tuple2<String, String>> byRegionCity = orders.events()
                .flatMap(new OrderRollup()).uid(Uid.ORDER_ROLLUP).name("order rollup levels")
                .keyBy(new RegionCityKey(), RegionCityKey.TYPE);
        DataStream<OrderMetricRow> orderMetrics = orderWindow(byRegionCity, "1m", Duration.ofMinutes(1), options)
                .union(orderWindow(byRegionCity, "1h", Duration.ofHours(1), options),
                        orderWindow(byRegionCity, "1d", Duration.ofDays(1), options));
        orderMetrics.sinkTo(sinks.orderMetrics()).uid(Uid.ORDER_METRICS_SINK).name("order_metrics upsert");

        orders.deadLetters().union(behavior.deadLetters(), payments.deadLetters())
                .sinkTo(sinks.deadLetters()).uid(Uid.DEAD_LETTER_SINK).name("dead_letters insert");
        orders.late().union(behavior.late(), payments.late())
                .sinkTo(sinks.lateEvents()).uid(Uid.LATE_EVENT_SINK).name("late_events insert");
    }

    /** Source with watermarks, dead letters aside, re-deliveries dropped, late events aside. */
    private static <T extends Event> Cleaned<T> clean(StreamExecutionEnvironment env, Sources sources,
                                                      Source<Envelope, ?, ?> source, StreamName stream,
                                                      Class<T> type, PulseOptions options) {
        String name = stream.label();
        DataStream<Envelope> raw = env.fromSource(source, sources.watermarks(), name + " source")
                .uid(Uid.source(stream));
        if (sources.parallelism() != null) {
            ((SingleOutputStreamOperator<Envelope>) raw).setParallelism(sources.parallelism());
        }
        TypeInformation<T> typeInfo = TypeInformation.of(type);
        SingleOutputStreamOperator<T> valid = raw
                .process(new RouteDeadLetters<T>(name), typeInfo)
                .uid(Uid.route(stream)).name(name + " dead letters aside");
        SingleOutputStreamOperator<T> onTime = valid
                .keyBy(Event::getEventId, Types.STRING)
                .process(new Deduplicate<T>(name, Deduplicate.ttlFor(options.allowedLateness(), options.outOfOrderness())),
                        typeInfo)
                .uid(Uid.dedupe(stream)).name(name + " de-duplicate by event_id")
                .process(new LateFilter<T>(name, FINEST_WINDOW.toMillis(), options.allowedLateness().toMillis()), typeInfo)
                .uid(Uid.lateFilter(stream)).name(name + " late events aside");
        return new Cleaned<>(onTime, valid.getSideOutput(RouteDeadLetters.DEAD_LETTERS),
                onTime.getSideOutput(LateFilter.LATE_EVENTS));
    }

    static SingleOutputStreamOperator<OrderMetricRow> orderWindow(KeyedStream<OrderFact, Tuple2<String, String>> facts,
                                                                  String grain, Duration size, PulseOptions options) {
        return facts.window(TumblingEventTimeWindows.of(size))
                .allowedLateness(options.allowedLateness())
                .trigger(new EarlyFiringTrigger(options.emitInterval().toMillis()))
                .aggregate(new OrderAggregate(), new OrderWindowFunction(grain))
                .uid(Uid.orderWindow(grain)).name("order_metrics " + grain);
    }
}
