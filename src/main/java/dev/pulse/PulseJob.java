package dev.pulse;

import dev.pulse.active.ActiveUsers;
import dev.pulse.clean.Deduplicate;
import dev.pulse.clean.PaidOnce;
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
import dev.pulse.funnel.FunnelMetrics;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.TableSinks;
import dev.pulse.orders.OrderMetrics;
import dev.pulse.paths.PathTransitions;
import dev.pulse.payments.PaymentMetrics;
import dev.pulse.retention.Retention;
import dev.pulse.sessions.SessionFunnel;
import dev.pulse.sliding.SlidingMetrics;
import dev.pulse.window.Windows;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/**
 * The Pulse topology: sources cleaned, then every registered metric family ({@link Metrics}) builds its sub-graph,
 * and what was set aside goes to dead_letters and late_events. {@code Main} wires real sources and sinks into it;
 * tests wire bounded ones.
 */
public final class PulseJob {
    /**
     * Stable operator ids: savepoints map state by these, so they never change once released. The metric families
     * define theirs next to their sub-graphs; they are listed here too, as released.
     */
    public static final class Uid {
        public static final String DEAD_LETTER_SINK = "dead-letters-sink";
        public static final String LATE_EVENT_SINK = "late-events-sink";
        // Retired (stateless): "order-rollup" became "order-buyers", "gmv-pane-partials" became "gmv-buyers".
        public static final String ORDERS_BY_USER = MetricInputs.ORDERS_BY_USER_UID;
        public static final String ORDER_BUYERS = OrderMetrics.BUYERS_UID;
        public static final String BEHAVIOR_BY_USER = "behavior-by-user";
        public static final String ORDER_METRICS_SINK = OrderMetrics.TABLE.sinkUid();

        public static String source(StreamName s) { return s.label() + "-source"; }
        public static String route(StreamName s) { return s.label() + "-route-dead-letters"; }
        // Retired: "<stream>-dedupe" and "orders-paid-once" (a timer per mark; their state is not restored).
        public static String dedupe(StreamName s) { return s.label() + "-dedupe-marks"; }
        public static String lateFilter(StreamName s) { return s.label() + "-late-filter"; }
        public static String orderWindow(String grain) { return OrderMetrics.windowUid(grain); }
        public static final String PAID_ORDERS = SlidingMetrics.PAID_ORDERS_UID;
        public static final String GMV_BUYERS = SlidingMetrics.GMV_BUYERS_UID;
        public static final String PAID_ONCE = "orders-paid-once-marks";
        public static String gmvPanes(String size) { return SlidingMetrics.gmvPanesUid(size); }
        public static String gmvSliding(String size) { return SlidingMetrics.gmvSlidingUid(size); }
        public static String productPanes(String size) { return SlidingMetrics.productPanesUid(size); }
        public static String topProducts(String size) { return SlidingMetrics.topProductsUid(size); }
        public static final String FUNNEL_STEPS = FunnelMetrics.STEPS_UID;
        public static final String FUNNEL_ROWS = FunnelMetrics.ROWS_UID;
        public static final String SESSIONS = SessionFunnel.SESSIONS_UID;
        public static final String SESSION_COMBINE = SessionFunnel.COMBINE_UID;
        public static final String SESSION_HOURS = SessionFunnel.HOURS_UID;
        public static final String PAYMENT_ROLLUP = PaymentMetrics.ROLLUP_UID;
        public static final String PAYMENT_WINDOW = PaymentMetrics.WINDOW_UID;
        public static final String GMV_SLIDING_SINK = SlidingMetrics.GMV_TABLE.sinkUid();
        public static final String TOP_PRODUCTS_SINK = SlidingMetrics.TOP_TABLE.sinkUid();
        public static final String FUNNEL_METRICS_SINK = FunnelMetrics.TABLE.sinkUid();
        public static final String SESSION_FUNNEL_SINK = SessionFunnel.TABLE.sinkUid();
        public static final String PAYMENT_METRICS_SINK = PaymentMetrics.TABLE.sinkUid();
        public static final String ACTIVE_USER_MARKS = ActiveUsers.MARKS_UID;
        public static final String ACTIVE_USER_COMBINE = ActiveUsers.COMBINE_UID;
        public static final String ACTIVE_USER_ROWS = ActiveUsers.ROWS_UID;
        public static final String ACTIVE_USERS_SINK = ActiveUsers.TABLE.sinkUid();
        public static final String RETENTION_COHORTS = Retention.COHORTS_UID;
        public static final String RETENTION_COMBINE = Retention.COMBINE_UID;
        public static final String RETENTION_ROWS = Retention.ROWS_UID;
        public static final String RETENTION_SINK = Retention.TABLE.sinkUid();
        public static final String PATH_EVENTS = PathTransitions.EVENTS_UID;
        public static final String PATH_COMBINE = PathTransitions.COMBINE_UID;
        public static final String PATH_ROWS = PathTransitions.ROWS_UID;
        public static final String PATH_TRANSITIONS_SINK = PathTransitions.TABLE.sinkUid();

        private Uid() {}
    }

    /** Lateness is judged against the finest window of every metric: one minute. */
    public static final Duration FINEST_WINDOW = Windows.FINEST;

    /** The three inputs and the watermark strategy they share; {@code parallelism} null means the job's. */
    public record Sources(Source<Envelope, ?, ?> orders, Source<Envelope, ?, ?> behavior,
                          Source<Envelope, ?, ?> payments, WatermarkStrategy<Envelope> watermarks,
                          Integer parallelism) {}

    /** Where rows go: each metric table's sink from its descriptor, and the two tables of what was set aside. */
    public record Sinks(TableSinks tables, Sink<DeadLetter> deadLetters, Sink<LateEvent> lateEvents) {}

    /** One stream after cleaning: its valid, de-duplicated, on-time events and what was set aside. */
    private record Cleaned<T>(DataStream<T> events, DataStream<DeadLetter> deadLetters, DataStream<LateEvent> late) {}

    private PulseJob() {}

    /**
     * Settings every Pulse run must have: no Kryo, and no operator without an explicit uid. Object reuse: a record is
     * handed to the next chained operator as it is, not deep-copied once per consumer (the by-user chain has five).
     * That is safe because no step changes a record it received or one it already emitted: every step emits new
     * objects, and the combiners change only deltas they were handed by their single producer.
     */
    public static Configuration requiredConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    public static void defineWorkflow(StreamExecutionEnvironment env, Sources sources, Sinks sinks,
                                      PulseOptions options) {
        // Orders: re-deliveries dropped, then repeated paid/cancelled events (an order is paid once, SPEC §3). "First
        // in arrival order" needs one order's events kept in the order the source read them: the producer puts
        // them in one split (one file, or one partition by order key), so one source subtask; a de-duplication at
        // parallelism 1 then gives each order a single path (one channel) into the per-order step.
        Cleaned<OrderEvent> orders = clean(env, sources, sources.orders(), StreamName.ORDERS, OrderEvent.class, options,
                valid -> byEventId(StreamName.ORDERS, OrderEvent.class, options).apply(valid).setParallelism(1)
                        .keyBy(e -> e.orderId, Types.LONG)
                        .transform("orders paid once", TypeInformation.of(OrderEvent.class),
                                new PaidOnce(FINEST_WINDOW.toMillis(), options.allowedLateness().toMillis(),
                                        options.paidOnceHorizon().toMillis()))
                        .uid(Uid.PAID_ONCE));
        Cleaned<BehaviorEvent> behavior = clean(env, sources, sources.behavior(), StreamName.BEHAVIOR,
                BehaviorEvent.class, options, byEventId(StreamName.BEHAVIOR, BehaviorEvent.class, options));
        Cleaned<PaymentEvent> payments = clean(env, sources, sources.payments(), StreamName.PAYMENTS,
                PaymentEvent.class, options, byEventId(StreamName.PAYMENTS, PaymentEvent.class, options));

        MetricInputs inputs = new MetricInputs(orders.events(), byUser(behavior.events()), payments.events());
        for (MetricFamily family : Metrics.families(options.tables())) {
            family.build(inputs, options, sinks.tables());
        }

        orders.deadLetters().union(behavior.deadLetters(), payments.deadLetters())
                .sinkTo(sinks.deadLetters()).uid(Uid.DEAD_LETTER_SINK).name("dead_letters insert");
        orders.late().union(behavior.late(), payments.late())
                .sinkTo(sinks.lateEvents()).uid(Uid.LATE_EVENT_SINK).name("late_events insert");
    }

    /**
     * Behaviour partitioned by user once: one shuffle into a pass-through step, which the per-user steps of every
     * family then chain onto (a {@code keyBy} per family would send every event across the network once per family).
     */
    private static KeyedStream<BehaviorEvent, Long> byUser(DataStream<BehaviorEvent> behavior) {
        KeySelector<BehaviorEvent, Long> user = e -> e.userId;
        DataStream<BehaviorEvent> partitioned = behavior.keyBy(user, Types.LONG)
                .map(e -> e, TypeInformation.of(BehaviorEvent.class))
                .uid(Uid.BEHAVIOR_BY_USER).name("behavior by user");
        return DataStreamUtils.reinterpretAsKeyedStream(partitioned, user, Types.LONG);
    }

    /** A stream's de-duplication steps (with their uids), given its valid events. */
    private interface DedupeStep<T> {
        SingleOutputStreamOperator<T> apply(DataStream<T> valid);
    }

    private static <T extends Event> DedupeStep<T> byEventId(StreamName stream, Class<T> type, PulseOptions options) {
        return valid -> valid.keyBy(Event::getEventId, Types.STRING)
                .transform(stream.label() + " de-duplicate by event_id", TypeInformation.of(type),
                        new Deduplicate<T>(stream.label(), FINEST_WINDOW.toMillis(),
                                options.allowedLateness().toMillis(), options.dedupeHorizon().toMillis()))
                .uid(Uid.dedupe(stream));
    }

    /** Source with watermarks, dead letters aside, re-deliveries dropped, late events aside. */
    private static <T extends Event> Cleaned<T> clean(StreamExecutionEnvironment env, Sources sources,
                                                      Source<Envelope, ?, ?> source, StreamName stream,
                                                      Class<T> type, PulseOptions options, DedupeStep<T> dedupe) {
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
        if (sources.parallelism() != null) {
            // Chained to the source: each de-duplication subtask then has one upstream channel, so which records
            // are late depends on the input alone, not on how two channels' watermarks interleave.
            valid.setParallelism(sources.parallelism());
        }
        SingleOutputStreamOperator<T> onTime = dedupe
                .apply(valid)
                .process(new LateFilter<T>(name, FINEST_WINDOW.toMillis(), options.allowedLateness().toMillis()), typeInfo)
                .uid(Uid.lateFilter(stream)).name(name + " late events aside");
        return new Cleaned<>(onTime, valid.getSideOutput(RouteDeadLetters.DEAD_LETTERS),
                onTime.getSideOutput(LateFilter.LATE_EVENTS));
    }

}
