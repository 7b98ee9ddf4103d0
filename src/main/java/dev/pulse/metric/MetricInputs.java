package dev.pulse.metric;

import dev.pulse.events.BehaviorEvent;
import dev.pulse.events.OrderEvent;
import dev.pulse.events.PaymentEvent;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The cleaned streams every family reads: valid, de-duplicated, on time (orders also paid/cancelled once).
 * Behaviour comes already partitioned by user ({@link #behaviorByUser}): the per-user steps of every family chain
 * onto that one shuffle instead of each sending every event across the network again. A step that two families
 * read is built once, by the first that asks for it ({@link #shared}).
 */
public final class MetricInputs {
    public static final String ORDERS_BY_USER_UID = "orders-by-user";

    private final DataStream<OrderEvent> orders;
    private final KeyedStream<BehaviorEvent, Long> behaviorByUser;
    private final DataStream<PaymentEvent> payments;
    private final Map<String, DataStream<?>> shared = new HashMap<>();

    public MetricInputs(DataStream<OrderEvent> orders, KeyedStream<BehaviorEvent, Long> behaviorByUser,
                        DataStream<PaymentEvent> payments) {
        this.orders = orders;
        this.behaviorByUser = behaviorByUser;
        this.payments = payments;
    }

    public DataStream<OrderEvent> orders() {
        return orders;
    }

    /**
     * Orders keyed by {@code user_id} (the buyer), for the families that count distinct buyers: one shuffle into a
     * pass-through step that their per-buyer steps chain onto, as for behaviour.
     */
    public KeyedStream<OrderEvent, Long> ordersByUser() {
        KeySelector<OrderEvent, Long> buyer = e -> e.userId;
        DataStream<OrderEvent> partitioned = shared(ORDERS_BY_USER_UID, () -> orders.keyBy(buyer, Types.LONG)
                .map(e -> e, TypeInformation.of(OrderEvent.class))
                .uid(ORDERS_BY_USER_UID).name("orders by user"));
        return DataStreamUtils.reinterpretAsKeyedStream(partitioned, buyer, Types.LONG);
    }

    /** Behaviour events keyed by {@code user_id}, partitioned as {@code keyBy(user_id)} would. */
    public KeyedStream<BehaviorEvent, Long> behaviorByUser() {
        return behaviorByUser;
    }

    public DataStream<PaymentEvent> payments() {
        return payments;
    }

    /** The step with this uid, built by {@code build} the first time it is asked for. */
    @SuppressWarnings("unchecked")
    public <T> DataStream<T> shared(String uid, Supplier<DataStream<T>> build) {
        DataStream<?> step = shared.get(uid);
        if (step == null) {
            step = build.get();
            shared.put(uid, step);
        }
        return (DataStream<T>) step;
    }
}
