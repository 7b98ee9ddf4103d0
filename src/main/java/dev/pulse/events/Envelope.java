package dev.pulse.events;

/**
 * What a source emits for one input record: the parsed event of its stream, or, when the record is bad,
 * the reason and the raw text. Exactly one of {@code order}, {@code behavior}, {@code payment} and
 * {@code error} is set. A POJO, so Flink serialises it without Kryo.
 */
public class Envelope {
    public String stream;
    /** Where the record came from: {@code file:line}, {@code topic/partition/offset} or {@code generator:stream:index}. */
    public String source;
    public OrderEvent order;
    public BehaviorEvent behavior;
    public PaymentEvent payment;
    /** One-line reason when the record is bad; null otherwise. */
    public String error;
    /** The raw text, kept only for bad records. */
    public String rawPayload;

    public Envelope() {}

    public static Envelope valid(StreamName stream, String source, Event event) {
        Envelope e = new Envelope();
        e.stream = stream.label();
        e.source = source;
        switch (stream) {
            case ORDERS: e.order = (OrderEvent) event; break;
            case BEHAVIOR: e.behavior = (BehaviorEvent) event; break;
            default: e.payment = (PaymentEvent) event; break;
        }
        return e;
    }

    public static Envelope bad(StreamName stream, String source, String reason, String rawPayload) {
        Envelope e = new Envelope();
        e.stream = stream.label();
        e.source = source;
        // Reasons quote values and payloads are raw input: both must be storable as PostgreSQL text.
        e.error = RecordText.storable(reason);
        e.rawPayload = RecordText.storable(rawPayload);
        return e;
    }

    public boolean isValid() {
        return error == null;
    }

    public Event event() {
        if (order != null) return order;
        if (behavior != null) return behavior;
        return payment;
    }

    /** Event time for the watermark; bad records do not move it. */
    public long timestamp() {
        Event e = event();
        return e == null ? Long.MIN_VALUE : e.eventTime;
    }
}
