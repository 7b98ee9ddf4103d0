package dev.pulse.events;

import java.math.BigDecimal;

/** A payment attempt from the {@code payments} stream. */
public class PaymentEvent extends Event {
    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";

    public String paymentId;
    public long orderId;
    public long userId;
    public BigDecimal amount;
    public String method;
    public String status;

    public PaymentEvent() {}
}
