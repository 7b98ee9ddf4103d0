package dev.pulse.metric;

import dev.pulse.events.BehaviorEvent;
import dev.pulse.events.OrderEvent;
import dev.pulse.events.PaymentEvent;

import org.apache.flink.streaming.api.datastream.DataStream;

/** The cleaned streams every family reads: valid, de-duplicated, on time (orders also paid/cancelled once). */
public record MetricInputs(DataStream<OrderEvent> orders, DataStream<BehaviorEvent> behavior,
                           DataStream<PaymentEvent> payments) {}
