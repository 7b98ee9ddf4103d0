package dev.pulse;

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
import dev.pulse.orders.OrderAggregate;
import dev.pulse.orders.OrderFact;
import dev.pulse.orders.OrderMetricRow;
import dev.pulse.orders.OrderRollup;
import dev.pulse.orders.OrderWindowFunction;
import dev.pulse.orders.RegionCityKey;
import dev.pulse.funnel.FunnelAggregate;
import dev.pulse.funnel.FunnelMetricRow;
import dev.pulse.funnel.FunnelStepFilter;
import dev.pulse.funnel.FunnelWindowFunction;
import dev.pulse.orders.PaidOrders;
import dev.pulse.payments.PaymentAggregate;
import dev.pulse.payments.PaymentMetricRow;
import dev.pulse.payments.PaymentRollup;
import dev.pulse.payments.PaymentWindowFunction;
import dev.pulse.sessions.SessionAccumulator;
import dev.pulse.sessions.SessionAggregate;
import dev.pulse.sessions.SessionChanges;
import dev.pulse.sessions.SessionDelta;
import dev.pulse.sessions.SessionFunnelRow;
import dev.pulse.sessions.SessionHourRows;
import dev.pulse.sessions.SessionSummary;
import dev.pulse.sliding.GmvPaneAggregate;
import dev.pulse.sliding.GmvPaneFunction;
import dev.pulse.sliding.GmvSliding;
import dev.pulse.sliding.GmvSlidingRow;
import dev.pulse.sliding.ProductPaneAggregate;
import dev.pulse.sliding.ProductPaneFunction;
import dev.pulse.sliding.TopProductRow;
import dev.pulse.sliding.TopProducts;
import dev.pulse.window.ConstantKey;
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
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

import java.time.Duration;
import java.util.List;

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
        public static final String PAID_ORDERS = "paid-orders";
        public static final String PAID_ONCE = "orders-paid-once";
        public static String gmvPanes(String size) { return "gmv-panes-" + size; }
        public static String gmvSliding(String size) { return "gmv-sliding-" + size; }
        public static String productPanes(String size) { return "product-panes-" + size; }
        public static String topProducts(String size) { return "top-products-" + size; }
        public static final String FUNNEL_STEPS = "funnel-steps";
        public static String funnelWindow(String grain) { return "funnel-metrics-" + grain; }
        public static final String SESSIONS = "sessions";
        public static final String SESSION_HOURS = "session-funnel-hours";
        public static final String PAYMENT_ROLLUP = "payment-rollup";
        public static final String PAYMENT_WINDOW = "payment-metrics-1m";
        public static final String GMV_SLIDING_SINK = "gmv-sliding-sink";
        public static final String TOP_PRODUCTS_SINK = "top-products-sink";
        public static final String FUNNEL_METRICS_SINK = "funnel-metrics-sink";
        public static final String SESSION_FUNNEL_SINK = "session-funnel-sink";
        public static final String PAYMENT_METRICS_SINK = "payment-metrics-sink";

        private Uid() {}
    }

    /** Lateness is judged against the finest window of every metric: one minute. */
    public static final Duration FINEST_WINDOW = Duration.ofMinutes(1);

    /** The three inputs and the watermark strategy they share; {@code parallelism} null means the job's. */
    public record Sources(Source<Envelope, ?, ?> orders, Source<Envelope, ?, ?> behavior,
                          Source<Envelope, ?, ?> payments, WatermarkStrategy<Envelope> watermarks,
                          Integer parallelism) {}

    public record Sinks(Sink<OrderMetricRow> orderMetrics, Sink<GmvSlidingRow> gmvSliding,
                        Sink<TopProductRow> topProducts, Sink<FunnelMetricRow> funnelMetrics,
                        Sink<SessionFunnelRow> sessionFunnel, Sink<PaymentMetricRow> paymentMetrics,
                        Sink<DeadLetter> deadLetters, Sink<LateEvent> lateEvents) {}

    /** A sliding window family: size, slide, and the label used in uids and names. */
    private record Sliding(Duration size, Duration slide, String label) {}

    private static final List<Sliding> SLIDING = List.of(
            new Sliding(Duration.ofMinutes(5), Duration.ofMinutes(1), "5m"),
            new Sliding(Duration.ofHours(1), Duration.ofMinutes(5), "1h"));

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
        // Orders: re-deliveries dropped, then repeated paid/cancelled events (an order is paid once, SPEC §3). "First
        // in arrival order" needs one order's events kept in the order the source read them: the producer puts
        // them in one split (one file, or one partition by order key), so one source subtask; a de-duplication at
        // parallelism 1 then gives each order a single path (one channel) into the per-order step.
        Cleaned<OrderEvent> orders = clean(env, sources, sources.orders(), StreamName.ORDERS, OrderEvent.class, options,
                (valid, ttl) -> byEventId(StreamName.ORDERS, OrderEvent.class).apply(valid, ttl).setParallelism(1)
                        .keyBy(e -> e.orderId, Types.LONG)
                        .process(new PaidOnce(ttl), TypeInformation.of(OrderEvent.class))
                        .uid(Uid.PAID_ONCE).name("orders paid once"));
        Cleaned<BehaviorEvent> behavior = clean(env, sources, sources.behavior(), StreamName.BEHAVIOR,
                BehaviorEvent.class, options, byEventId(StreamName.BEHAVIOR, BehaviorEvent.class));
        Cleaned<PaymentEvent> payments = clean(env, sources, sources.payments(), StreamName.PAYMENTS,
                PaymentEvent.class, options, byEventId(StreamName.PAYMENTS, PaymentEvent.class));

        // order_metrics: paid/cancelled events at three rollup levels, tumbling 1 min, 1 h, 1 day.
        KeyedStream<OrderFact, Tuple2<String, String>> byRegionCity = orders.events()
                .flatMap(new OrderRollup()).uid(Uid.ORDER_ROLLUP).name("order rollup levels")
                .keyBy(new RegionCityKey(), RegionCityKey.TYPE);
        DataStream<OrderMetricRow> orderMetrics = orderWindow(byRegionCity, "1m", Duration.ofMinutes(1), options)
                .union(orderWindow(byRegionCity, "1h", Duration.ofHours(1), options),
                        orderWindow(byRegionCity, "1d", Duration.ofDays(1), options));
        orderMetrics.sinkTo(sinks.orderMetrics()).uid(Uid.ORDER_METRICS_SINK).name("order_metrics upsert");

        // gmv_sliding and top_products: paid orders aggregated once per pane (one slide long), panes combined.
        DataStream<OrderEvent> paid = orders.events().filter(new PaidOrders()).uid(Uid.PAID_ORDERS).name("paid orders");
        DataStream<GmvSlidingRow> gmvSliding = null;
        DataStream<TopProductRow> topProducts = null;
        for (Sliding w : SLIDING) {
            long size = w.size().toMillis();
            long slide = w.slide().toMillis();
            DataStream<GmvSlidingRow> gmv = withEarlyResults(paid.keyBy(new ConstantKey<>(), Types.INT),
                            TumblingEventTimeWindows.of(w.slide()), options)
                    .aggregate(new GmvPaneAggregate(), new GmvPaneFunction())
                    .uid(Uid.gmvPanes(w.label())).name("gmv panes " + w.label())
                    .keyBy(new ConstantKey<>(), Types.INT)
                    .process(new GmvSliding(size, slide, latenessMs(options), emitMs(options)))
                    .uid(Uid.gmvSliding(w.label())).name("gmv_sliding " + w.label());
            DataStream<TopProductRow> top = withEarlyResults(paid.keyBy(e -> e.productId, Types.LONG),
                            TumblingEventTimeWindows.of(w.slide()), options)
                    .aggregate(new ProductPaneAggregate(), new ProductPaneFunction())
                    .uid(Uid.productPanes(w.label())).name("product panes " + w.label())
                    .keyBy(new ConstantKey<>(), Types.INT)
                    .process(new TopProducts(size, slide, latenessMs(options), emitMs(options), options.topN()))
                    .uid(Uid.topProducts(w.label())).name("top_products " + w.label());
            gmvSliding = gmvSliding == null ? gmv : gmvSliding.union(gmv);
            topProducts = topProducts == null ? top : topProducts.union(top);
        }
        gmvSliding.sinkTo(sinks.gmvSliding()).uid(Uid.GMV_SLIDING_SINK).name("gmv_sliding upsert");
        topProducts.sinkTo(sinks.topProducts()).uid(Uid.TOP_PRODUCTS_SINK).name("top_products upsert");

        // funnel_metrics: distinct users per step, tumbling 1 min and 1 h.
        KeyedStream<BehaviorEvent, Integer> steps = behavior.events()
                .filter(new FunnelStepFilter()).uid(Uid.FUNNEL_STEPS).name("funnel steps")
                .keyBy(new ConstantKey<>(), Types.INT);
        funnelWindow(steps, "1m", Duration.ofMinutes(1), options)
                .union(funnelWindow(steps, "1h", Duration.ofHours(1), options))
                .sinkTo(sinks.funnelMetrics()).uid(Uid.FUNNEL_METRICS_SINK).name("funnel_metrics upsert");

        // session_funnel: session windows per user; each firing becomes signed deltas to (hour, device) rows.
        sessionWindow(behavior.events().keyBy(e -> e.userId, Types.LONG), options)
                .keyBy(d -> Tuple2.of(d.hourStart, d.device), Types.TUPLE(Types.LONG, Types.STRING))
                .process(new SessionHourRows(options.sessionGap().toMillis(), sessionLateness(options).toMillis(),
                        emitMs(options)))
                .uid(Uid.SESSION_HOURS).name("session_funnel hours")
                .sinkTo(sinks.sessionFunnel()).uid(Uid.SESSION_FUNNEL_SINK).name("session_funnel upsert");

        // payment_metrics: tumbling 1 min by method and '*'.
        withEarlyResults(payments.events().flatMap(new PaymentRollup()).uid(Uid.PAYMENT_ROLLUP).name("payment rollup")
                        .keyBy(f -> f.method, Types.STRING), TumblingEventTimeWindows.of(Duration.ofMinutes(1)), options)
                .aggregate(new PaymentAggregate(), new PaymentWindowFunction())
                .uid(Uid.PAYMENT_WINDOW).name("payment_metrics 1m")
                .sinkTo(sinks.paymentMetrics()).uid(Uid.PAYMENT_METRICS_SINK).name("payment_metrics upsert");

        orders.deadLetters().union(behavior.deadLetters(), payments.deadLetters())
                .sinkTo(sinks.deadLetters()).uid(Uid.DEAD_LETTER_SINK).name("dead_letters insert");
        orders.late().union(behavior.late(), payments.late())
                .sinkTo(sinks.lateEvents()).uid(Uid.LATE_EVENT_SINK).name("late_events insert");
    }

    /** A stream's de-duplication steps (with their uids), given its valid events and how long markers must live. */
    private interface DedupeStep<T> {
        SingleOutputStreamOperator<T> apply(DataStream<T> valid, Duration ttl);
    }

    private static <T extends Event> DedupeStep<T> byEventId(StreamName stream, Class<T> type) {
        return (valid, ttl) -> valid.keyBy(Event::getEventId, Types.STRING)
                .process(new Deduplicate<T>(stream.label(), ttl), TypeInformation.of(type))
                .uid(Uid.dedupe(stream)).name(stream.label() + " de-duplicate by event_id");
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
                .apply(valid, Deduplicate.ttlFor(options.allowedLateness(), options.outOfOrderness()))
                .process(new LateFilter<T>(name, FINEST_WINDOW.toMillis(), options.allowedLateness().toMillis()), typeInfo)
                .uid(Uid.lateFilter(stream)).name(name + " late events aside");
        return new Cleaned<>(onTime, valid.getSideOutput(RouteDeadLetters.DEAD_LETTERS),
                onTime.getSideOutput(LateFilter.LATE_EVENTS));
    }

    static SingleOutputStreamOperator<OrderMetricRow> orderWindow(KeyedStream<OrderFact, Tuple2<String, String>> facts,
                                                                  String grain, Duration size, PulseOptions options) {
        return withEarlyResults(facts, TumblingEventTimeWindows.of(size), options)
                .aggregate(new OrderAggregate(), new OrderWindowFunction(grain))
                .uid(Uid.orderWindow(grain)).name("order_metrics " + grain);
    }

    static SingleOutputStreamOperator<FunnelMetricRow> funnelWindow(KeyedStream<BehaviorEvent, Integer> steps,
                                                                    String grain, Duration size, PulseOptions options) {
        return withEarlyResults(steps, TumblingEventTimeWindows.of(size), options)
                .aggregate(new FunnelAggregate(), new FunnelWindowFunction(grain))
                .uid(Uid.funnelWindow(grain)).name("funnel_metrics " + grain);
    }

    /**
     * A session must outlive every event that can still pass the {@link LateFilter}. That filter keeps an event
     * while its 1-minute window is within allowed lateness, i.e. up to one finest window after the event itself,
     * so an event can bridge into a session whose own window (last event + gap) ended up to a minute before it.
     * With only the allowed lateness, the session would already be purged and the bridging event would start a
     * second one, a split never repaired.
     */
    public static Duration sessionLateness(PulseOptions options) {
        return options.allowedLateness().plus(FINEST_WINDOW);
    }

    static SingleOutputStreamOperator<SessionDelta> sessionWindow(KeyedStream<BehaviorEvent, Long> byUser,
                                                                  PulseOptions options) {
        return withEarlyResults(byUser, EventTimeSessionWindows.withGap(options.sessionGap()), sessionLateness(options),
                        options)
                .aggregate(new SessionAggregate(), new SessionChanges(), TypeInformation.of(SessionAccumulator.class),
                        TypeInformation.of(SessionSummary.class), TypeInformation.of(SessionDelta.class))
                .uid(Uid.SESSIONS).name("sessions per user");
    }

    /** Every window of Pulse: allowed lateness, and early results every emit interval (SPEC §2). */
    static <T, K> WindowedStream<T, K, TimeWindow> withEarlyResults(KeyedStream<T, K> stream,
                                                                    WindowAssigner<? super T, TimeWindow> windows,
                                                                    PulseOptions options) {
        return withEarlyResults(stream, windows, options.allowedLateness(), options);
    }

    private static <T, K> WindowedStream<T, K, TimeWindow> withEarlyResults(KeyedStream<T, K> stream,
                                                                            WindowAssigner<? super T, TimeWindow> windows,
                                                                            Duration lateness, PulseOptions options) {
        return stream.window(windows).allowedLateness(lateness).trigger(new EarlyFiringTrigger(emitMs(options)));
    }

    private static long latenessMs(PulseOptions options) {
        return options.allowedLateness().toMillis();
    }

    private static long emitMs(PulseOptions options) {
        return options.emitInterval().toMillis();
    }
}
