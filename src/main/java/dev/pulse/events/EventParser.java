package dev.pulse.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.pulse.config.Durations;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one input record into a typed event, or into a bad {@link Envelope} with a one-line reason naming the
 * field and the rule it breaks (SPEC §1). Never throws for bad input: whatever a record holds, the job goes on.
 * Sources hand it the record's bytes ({@link #parse(StreamName, byte[], int, int, String)}) or, for the generator,
 * its text. An {@code event_time} later than the wall clock + {@code --max-future} is a dead letter, so one record
 * with a broken clock cannot move the watermark and make every later event late.
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Records larger than this (UTF-8 bytes) are dead letters. */
    public static final int MAX_RECORD_BYTES = 1 << 20;
    /** SPEC §1: event_time from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (PostgreSQL stores all of it). */
    public static final Instant MIN_EVENT_TIME = Instant.EPOCH;
    public static final Instant MAX_EVENT_TIME = Instant.parse("9999-12-31T23:59:59.999Z");
    /** SPEC §1: decimals have at most this many digits before and after the point, in plain notation. */
    public static final int MAX_DECIMAL_DIGITS = 18;
    /** A decimal held in a JSON string: JSON's number grammar, and no longer than any in-range value needs. */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final int MAX_DECIMAL_TEXT = 100;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"amount":-5,"amount":1} is ambiguous: a dead letter, not "the last one wins".
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)) // keep 12.50 as written
            .build();

    /**
     * The streaming path's parsers: the same limits, but no duplicate detection, whose per-object hash set was the
     * largest single cost of a record; that path instead takes only records whose fields are all known, each seen
     * once (anything else, duplicates included, goes to the tree path and {@link #JSON}'s detection).
     */
    static final JsonFactory FAST_JSON = new JsonFactory();

    static {
        JSON.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(2 * MAX_RECORD_BYTES).build());
        FAST_JSON.setStreamReadConstraints(JSON.getFactory().streamReadConstraints());
    }

    private static final Set<String> ORDER_STATUS =
            Set.of(OrderEvent.PENDING, OrderEvent.PAID, OrderEvent.COMPLETED, OrderEvent.CANCELLED);
    private static final Set<String> BEHAVIOR_TYPES = Set.of(BehaviorEvent.PAGE_VIEW, BehaviorEvent.CLICK,
            BehaviorEvent.ADD_TO_CART, BehaviorEvent.CHECKOUT_START, BehaviorEvent.PURCHASE);
    private static final Set<String> DEVICE_TYPES = Set.of("desktop", "mobile", "tablet", "other");
    private static final Set<String> PAYMENT_STATUS = Set.of(PaymentEvent.SUCCESS, PaymentEvent.FAILED);

    private final long maxFutureMs;

    public EventParser(Duration maxFuture) {
        this.maxFutureMs = maxFuture.toMillis();
    }

    /** One record as bytes: size, strict UTF-8, then JSON and the field rules. */
    public Envelope parse(StreamName stream, byte[] bytes, int off, int len, String source) {
        if (len > MAX_RECORD_BYTES) {
            return tooLarge(stream, bytes, off, len, len, source);
        }
        long nowMs = System.currentTimeMillis();
        // The common case straight from the bytes: well-formed UTF-8 (checked here, as RecordText.decode would), no
        // NUL byte and '{' as the first byte after JSON whitespace (so Jackson reads them as UTF-8, never as UTF-16/32,
        // and there is no BOM for it to skip where the tree path refuses one), and a record the streaming path finds
        // plainly valid. Anything else takes the original path below, which decides and words every dead letter.
        if (startsWithBrace(bytes, off, len) && wellFormedUtf8WithoutNul(bytes, off, len)) {
            try (JsonParser p = FAST_JSON.createParser(bytes, off, len)) {
                Event event = fast(stream, p, nowMs);
                if (event != null) {
                    return Envelope.valid(stream, source, event);
                }
            } catch (IOException | RuntimeException e) {
                // not plainly valid: the tree path below says why
            }
        }
        String text;
        try {
            text = RecordText.decode(bytes, off, len);
        } catch (RecordText.NotUtf8 e) {
            return Envelope.bad(stream, source, e.getMessage(), RecordText.escaped(bytes, off, len));
        }
        return parseTree(stream, text, source, nowMs);
    }

    /** One record already held as text (the generator's). */
    public Envelope parse(StreamName stream, String text, String source) {
        int bytes = utf8Length(text);
        if (bytes > MAX_RECORD_BYTES) {
            byte[] head = text.getBytes(StandardCharsets.UTF_8);
            return tooLarge(stream, head, 0, MAX_RECORD_BYTES, bytes, source);
        }
        return parse(stream, text, source, System.currentTimeMillis());
    }

    Envelope parse(StreamName stream, String text, String source, long nowMs) {
        try (JsonParser p = FAST_JSON.createParser(text)) {
            Event event = fast(stream, p, nowMs);
            if (event != null) {
                return Envelope.valid(stream, source, event);
            }
        } catch (IOException | RuntimeException e) {
            // not plainly valid: the tree path says why
        }
        return parseTree(stream, text, source, nowMs);
    }

    /**
     * The original reading of a record: the whole JSON tree, then each field's rule. It alone words dead letters; the
     * streaming path ({@link #fast}) only ever returns an event this path returns too, and otherwise defers to it.
     */
    Envelope parseTree(StreamName stream, String text, String source, long nowMs) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new BadRecord("not a JSON object");
            }
            Fields f = new Fields(node);
            Event event;
            switch (stream) {
                case ORDERS: event = order(f); break;
                case BEHAVIOR: event = behavior(f); break;
                default: event = payment(f); break;
            }
            event.eventId = key("event_id", f.requiredText("event_id"));
            event.eventTime = f.eventTime(nowMs, maxFutureMs);
            return Envelope.valid(stream, source, event);
        } catch (BadRecord e) {
            return Envelope.bad(stream, source, e.getMessage(), text);
        } catch (JsonProcessingException e) {
            return Envelope.bad(stream, source, "not JSON: " + oneLine(e.getOriginalMessage()), text);
        } catch (RuntimeException e) {
            // A rule above that a record found a way around: still a dead letter, never a failed job.
            return Envelope.bad(stream, source, "cannot be read: " + e.getClass().getSimpleName() + ": "
                    + oneLine(e.getMessage()), text);
        }
    }


    // ---------------------------------------------------------------------------------------------------------------
    // The streaming path: one pass over the parser's tokens, no tree, no copy of the text. It accepts a record only when
    // every rule of the tree path holds (same checks, same values) and returns null, or throws, at the first doubt:
    // a missing or repeated field, a field it does not know (the tree path ignores it, at the tree path's cost), a
    // value of another type or out of range.

    /** Thrown to leave the streaming path; the tree path then reads the record. */
    private static final class NotPlain extends RuntimeException {
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private static NotPlain notPlain() {
        return NotPlain.INSTANCE;
    }

    /** The event, when the record is plainly valid; null (or an exception) otherwise. */
    Event fast(StreamName stream, JsonParser p, long nowMs) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Event event;
        switch (stream) {
            case ORDERS: event = fastOrder(p, nowMs); break;
            case BEHAVIOR: event = fastBehavior(p, nowMs); break;
            default: event = fastPayment(p, nowMs); break;
        }
        // FAIL_ON_TRAILING_TOKENS of the tree path: nothing may follow the object.
        if (p.nextToken() != null) {
            return null;
        }
        return event;
    }

    private static final int EVENT_ID = 1, EVENT_TIME = 2;

    /** A field of the common two; returns its bit, 0 when {@code name} is neither. */
    private int common(String name, JsonParser p, JsonToken v, Event e, long nowMs) throws IOException {
        switch (name) {
            case "event_id":
                e.eventId = key("event_id", reqText(p, v));
                return EVENT_ID;
            case "event_time":
                e.eventTime = eventTime(p, v, nowMs, maxFutureMs);
                return EVENT_TIME;
            default:
                return 0;
        }
    }

    private static int once(int seen, int bit) {
        if ((seen & bit) != 0) {
            throw notPlain(); // a field given twice: the tree path's duplicate detection words it
        }
        return seen | bit;
    }

    private OrderEvent fastOrder(JsonParser p, long nowMs) throws IOException {
        OrderEvent o = new OrderEvent();
        o.region = "unknown";
        o.city = "unknown";
        int seen = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int bit = common(name, p, v, o, nowMs);
            if (bit == 0) {
                switch (name) {
                    case "order_id": bit = 1 << 2; o.orderId = reqLong(p, v); break;
                    case "user_id": bit = 1 << 3; o.userId = reqLong(p, v); break;
                    case "product_id": bit = 1 << 4; o.productId = reqLong(p, v); break;
                    case "product_name": bit = 1 << 5; o.productName = reqText(p, v); break;
                    case "category": bit = 1 << 6; o.category = optText(p, v, null); break;
                    case "quantity": bit = 1 << 7; o.quantity = positiveInt(p, v); break;
                    case "price": bit = 1 << 8; o.price = money(p, v); break;
                    case "amount": bit = 1 << 9; o.amount = money(p, v); break;
                    case "status": bit = 1 << 10; o.status = reqEnum(p, v, ORDER_STATUS); break;
                    case "region": bit = 1 << 11; o.region = key("region", optText(p, v, "unknown")); break;
                    case "city": bit = 1 << 12; o.city = key("city", optText(p, v, "unknown")); break;
                    default: throw notPlain(); // an unknown field: the tree path ignores it
                }
            }
            if (bit != 0) {
                seen = once(seen, bit);
            }
        }
        int required = EVENT_ID | EVENT_TIME | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10;
        return t == JsonToken.END_OBJECT && (seen & required) == required ? o : null;
    }

    private BehaviorEvent fastBehavior(JsonParser p, long nowMs) throws IOException {
        BehaviorEvent b = new BehaviorEvent();
        b.deviceType = "other";
        b.region = "unknown";
        int seen = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int bit = common(name, p, v, b, nowMs);
            if (bit == 0) {
                switch (name) {
                    case "user_id": bit = 1 << 2; b.userId = reqLong(p, v); break;
                    case "event_type": bit = 1 << 3; b.eventType = reqEnum(p, v, BEHAVIOR_TYPES); break;
                    case "session_id": bit = 1 << 4; b.sessionId = optText(p, v, null); break;
                    case "product_id": bit = 1 << 5; b.productId = optLong(p, v); break;
                    case "page_url": bit = 1 << 6; b.pageUrl = optText(p, v, null); break;
                    case "referrer": bit = 1 << 7; b.referrer = optText(p, v, null); break;
                    case "device_type":
                        bit = 1 << 8;
                        b.deviceType = optText(p, v, "other");
                        if (!DEVICE_TYPES.contains(b.deviceType)) throw notPlain();
                        break;
                    case "region": bit = 1 << 9; b.region = optText(p, v, "unknown"); break;
                    default: throw notPlain(); // an unknown field: the tree path ignores it
                }
            }
            if (bit != 0) {
                seen = once(seen, bit);
            }
        }
        int required = EVENT_ID | EVENT_TIME | 1 << 2 | 1 << 3;
        return t == JsonToken.END_OBJECT && (seen & required) == required ? b : null;
    }

    private PaymentEvent fastPayment(JsonParser p, long nowMs) throws IOException {
        PaymentEvent pay = new PaymentEvent();
        int seen = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int bit = common(name, p, v, pay, nowMs);
            if (bit == 0) {
                switch (name) {
                    case "payment_id": bit = 1 << 2; pay.paymentId = reqText(p, v); break;
                    case "order_id": bit = 1 << 3; pay.orderId = reqLong(p, v); break;
                    case "user_id": bit = 1 << 4; pay.userId = reqLong(p, v); break;
                    case "amount": bit = 1 << 5; pay.amount = money(p, v); break;
                    case "method": bit = 1 << 6; pay.method = key("method", reqText(p, v)); break;
                    case "status": bit = 1 << 7; pay.status = reqEnum(p, v, PAYMENT_STATUS); break;
                    default: throw notPlain(); // an unknown field: the tree path ignores it
                }
            }
            if (bit != 0) {
                seen = once(seen, bit);
            }
        }
        int required = EVENT_ID | EVENT_TIME | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7;
        return t == JsonToken.END_OBJECT && (seen & required) == required ? pay : null;
    }

    /** A non-empty string PostgreSQL can store (Fields.requiredText). */
    private static String reqText(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) throw notPlain();
        String s = p.getText();
        if (s.isEmpty() || RecordText.unstorable(s) != null) throw notPlain();
        return s;
    }

    /** Fields.optionalText: null, absent or empty is the fallback. */
    private static String optText(JsonParser p, JsonToken v, String fallback) throws IOException {
        if (v == JsonToken.VALUE_NULL) return fallback;
        if (v != JsonToken.VALUE_STRING) throw notPlain();
        String s = p.getText();
        if (s.isEmpty()) return fallback;
        if (RecordText.unstorable(s) != null) throw notPlain();
        return s;
    }

    private static String reqEnum(JsonParser p, JsonToken v, Set<String> allowed) throws IOException {
        String s = reqText(p, v);
        if (!allowed.contains(s)) throw notPlain();
        return s;
    }

    /** A JSON integer the tree holds as an int or long node (a BigInteger node cannot convert to long). */
    private static long reqLong(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT) throw notPlain();
        JsonParser.NumberType type = p.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) throw notPlain();
        return p.getLongValue();
    }

    private static Long optLong(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NULL ? null : reqLong(p, v);
    }

    private static int positiveInt(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) throw notPlain();
        int n = p.getIntValue();
        if (n <= 0) throw notPlain();
        return n;
    }

    /** Fields.requiredMoney, for values inside the range. */
    private static BigDecimal money(JsonParser p, JsonToken v) throws IOException {
        BigDecimal d;
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            d = p.getDecimalValue();
        } else if (v == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (text.length() > MAX_DECIMAL_TEXT || !JSON_NUMBER.matcher(text).matches()) throw notPlain();
            d = new BigDecimal(text);
        } else {
            throw notPlain();
        }
        if (d.scale() > MAX_DECIMAL_DIGITS || (d.signum() != 0 && (long) d.precision() - d.scale() > MAX_DECIMAL_DIGITS)
                || d.signum() < 0) {
            throw notPlain();
        }
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    /** Fields.eventTime, for times inside the range and the clock's bound; ISO-8601 by {@link IsoTime} first. */
    private static long eventTime(JsonParser p, JsonToken v, long nowMs, long maxFutureMs) throws IOException {
        long ms;
        if (v == JsonToken.VALUE_NUMBER_INT) {
            ms = reqLong(p, v);
            if (ms < MIN_EVENT_TIME.toEpochMilli() || ms > MAX_EVENT_TIME.toEpochMilli()) throw notPlain();
        } else if (v == JsonToken.VALUE_STRING) {
            String text = p.getText().trim();
            ms = IsoTime.epochMillis(text);
            if (ms == IsoTime.NOT_HANDLED) {
                Instant t;
                try {
                    t = OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    throw notPlain();
                }
                if (t.isBefore(MIN_EVENT_TIME) || t.isAfter(MAX_EVENT_TIME)) throw notPlain();
                ms = t.toEpochMilli();
            }
        } else {
            throw notPlain();
        }
        if (ms > nowMs + maxFutureMs) throw notPlain();
        return ms;
    }

    /**
     * Well-formed UTF-8 (the Unicode standard's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF,
     * what the JDK's strict decoder accepts) without a NUL byte.
     */
    static boolean wellFormedUtf8WithoutNul(byte[] b, int off, int len) {
        int i = off, end = off + len;
        while (i < end) {
            int c = b[i];
            if (c > 0) {
                i++;
                continue;
            }
            if (c == 0) return false;
            c &= 0xFF;
            if (c < 0xC2) {
                return false;
            } else if (c < 0xE0) {
                if (i + 1 >= end || !continuation(b[i + 1])) return false;
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= end) return false;
                int c1 = b[i + 1] & 0xFF;
                if (c == 0xE0 ? c1 < 0xA0 || c1 > 0xBF : c == 0xED ? c1 < 0x80 || c1 > 0x9F : !continuation(b[i + 1])) {
                    return false;
                }
                if (!continuation(b[i + 2])) return false;
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= end) return false;
                int c1 = b[i + 1] & 0xFF;
                if (c == 0xF0 ? c1 < 0x90 || c1 > 0xBF : c == 0xF4 ? c1 < 0x80 || c1 > 0x8F : !continuation(b[i + 1])) {
                    return false;
                }
                if (!continuation(b[i + 2]) || !continuation(b[i + 3])) return false;
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithBrace(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '{';
            }
        }
        return false;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /**
     * A record whose size alone disqualifies it; {@code head} holds its first bytes (at least the limit's worth
     * when the record is larger), of which the payload keeps the first 1 MiB.
     */
    public static Envelope tooLarge(StreamName stream, byte[] head, int off, int headLen, long bytes, String source) {
        int kept = Math.min(headLen, MAX_RECORD_BYTES);
        return Envelope.bad(stream, source,
                "record too large: " + bytes + " bytes > 1 MiB limit (payload keeps its first part)",
                RecordText.escaped(head, off, kept));
    }

    /**
     * Values that become part of a PostgreSQL index (the metric tables' keys, {@code late_events}' unique id) are
     * bounded: a B-tree entry larger than about 2.7 kB is refused at insert, which would fail the sink.
     */
    public static final int MAX_KEY_CHARS = 200;

    private static String key(String name, String value) {
        if (value.length() > MAX_KEY_CHARS) {
            throw new BadRecord("field " + name + ": longer than " + MAX_KEY_CHARS
                    + " characters (it keys the metric tables)");
        }
        return value;
    }

    private static OrderEvent order(Fields f) {
        OrderEvent o = new OrderEvent();
        o.orderId = f.requiredLong("order_id");
        o.userId = f.requiredLong("user_id");
        o.productId = f.requiredLong("product_id");
        o.productName = f.requiredText("product_name");
        o.category = f.optionalText("category", null);
        o.quantity = f.requiredPositiveInt("quantity");
        o.price = f.requiredMoney("price");
        o.amount = f.requiredMoney("amount");
        o.status = f.requiredEnum("status", ORDER_STATUS);
        o.region = key("region", f.optionalText("region", "unknown"));
        o.city = key("city", f.optionalText("city", "unknown"));
        return o;
    }

    private static BehaviorEvent behavior(Fields f) {
        BehaviorEvent b = new BehaviorEvent();
        b.userId = f.requiredLong("user_id");
        b.eventType = f.requiredEnum("event_type", BEHAVIOR_TYPES);
        b.sessionId = f.optionalText("session_id", null);
        b.productId = f.optionalLong("product_id");
        b.pageUrl = f.optionalText("page_url", null);
        b.referrer = f.optionalText("referrer", null);
        String device = f.optionalText("device_type", "other");
        if (!DEVICE_TYPES.contains(device)) {
            throw new BadRecord("field device_type: unknown value '" + shorten(device) + "' (expected one of desktop, mobile, tablet, other)");
        }
        b.deviceType = device;
        b.region = f.optionalText("region", "unknown");
        return b;
    }

    private static PaymentEvent payment(Fields f) {
        PaymentEvent p = new PaymentEvent();
        p.paymentId = f.requiredText("payment_id");
        p.orderId = f.requiredLong("order_id");
        p.userId = f.requiredLong("user_id");
        p.amount = f.requiredMoney("amount");
        p.method = key("method", f.requiredText("method"));
        p.status = f.requiredEnum("status", PAYMENT_STATUS);
        return p;
    }

    /** Typed access to the fields of one JSON object; each check fails with a reason naming the field. */
    private static final class Fields {
        private static final String RANGE = "(1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z)";

        private final JsonNode node;

        Fields(JsonNode node) {
            this.node = node;
        }

        private JsonNode present(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new BadRecord("missing required field " + name);
            }
            return v;
        }

        String requiredText(String name) {
            JsonNode v = present(name);
            if (!v.isTextual()) {
                throw wrongType(name, "a string", v);
            }
            if (v.textValue().isEmpty()) {
                throw new BadRecord("field " + name + ": must not be empty");
            }
            return storable(name, v.textValue());
        }

        private static String storable(String name, String value) {
            String why = RecordText.unstorable(value);
            if (why != null) {
                throw new BadRecord("field " + name + ": " + why);
            }
            return value;
        }

        String optionalText(String name, String fallback) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual()) {
                throw wrongType(name, "a string", v);
            }
            return v.textValue().isEmpty() ? fallback : storable(name, v.textValue());
        }

        long requiredLong(String name) {
            return integer(name, present(name));
        }

        Long optionalLong(String name) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : integer(name, v);
        }

        private long integer(String name, JsonNode v) {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw wrongType(name, "a 64-bit integer", v);
            }
            return v.longValue();
        }

        int requiredPositiveInt(String name) {
            JsonNode v = present(name);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw wrongType(name, "an integer", v);
            }
            if (v.intValue() <= 0) {
                throw new BadRecord("field " + name + ": must be > 0, got " + v.intValue());
            }
            return v.intValue();
        }

        BigDecimal requiredMoney(String name) {
            JsonNode v = present(name);
            BigDecimal d;
            if (v.isNumber()) {
                d = v.decimalValue();
            } else if (v.isTextual()) {
                // Written as JSON writes a number, in ASCII: BigDecimal alone also takes Arabic-Indic digits and '+'.
                String text = v.textValue();
                if (text.length() > MAX_DECIMAL_TEXT || !JSON_NUMBER.matcher(text).matches()) {
                    throw wrongType(name, "a decimal number", v);
                }
                d = new BigDecimal(text);
            } else {
                throw wrongType(name, "a decimal number", v);
            }
            // Range first, in plain notation: digits after the point are the scale, before it precision - scale.
            // Nothing out of range is ever written out or summed (1e1000000000, or 0e-16384 whose scale PostgreSQL
            // numeric refuses).
            if (d.scale() > MAX_DECIMAL_DIGITS || (d.signum() != 0 && (long) d.precision() - d.scale() > MAX_DECIMAL_DIGITS)) {
                throw new BadRecord("field " + name + ": " + shorten(d.toString()) + " is out of range (at most "
                        + MAX_DECIMAL_DIGITS + " digits before and " + MAX_DECIMAL_DIGITS + " after the decimal point)");
            }
            if (d.signum() < 0) {
                throw new BadRecord("field " + name + ": must be >= 0, got " + d.toPlainString());
            }
            return d.scale() < 0 ? d.setScale(0) : d; // 1e3 is 1000
        }

        String requiredEnum(String name, Set<String> allowed) {
            String v = requiredText(name);
            if (!allowed.contains(v)) {
                throw new BadRecord("field " + name + ": unknown value '" + shorten(v) + "' (expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            return v;
        }

        long eventTime(long nowMs, long maxFutureMs) {
            JsonNode v = present("event_time");
            Instant t;
            if (v.isIntegralNumber()) {
                if (!v.canConvertToLong()) {
                    throw new BadRecord("field event_time: " + shorten(v.asText()) + " is out of range " + RANGE);
                }
                long ms = v.longValue();
                if (ms < MIN_EVENT_TIME.toEpochMilli() || ms > MAX_EVENT_TIME.toEpochMilli()) {
                    throw new BadRecord("field event_time: " + ms + " is out of range " + RANGE);
                }
                t = Instant.ofEpochMilli(ms);
            } else if (v.isTextual()) {
                try {
                    t = OffsetDateTime.parse(v.textValue().trim()).toInstant();
                } catch (DateTimeParseException e) {
                    throw new BadRecord("field event_time: '" + shorten(v.textValue())
                            + "' is not ISO-8601 with an offset (2025-10-03T10:15:30.123Z) nor epoch milliseconds");
                }
                if (t.isBefore(MIN_EVENT_TIME) || t.isAfter(MAX_EVENT_TIME)) {
                    throw new BadRecord("field event_time: '" + shorten(v.textValue()) + "' is out of range " + RANGE);
                }
            } else {
                throw wrongType("event_time", "an ISO-8601 string or epoch milliseconds", v);
            }
            long ms = t.toEpochMilli();
            if (ms > nowMs + maxFutureMs) {
                throw new BadRecord("field event_time: " + t + " is in the future (more than --max-future "
                        + Durations.format(Duration.ofMillis(maxFutureMs)) + " ahead of the clock)");
            }
            return ms;
        }

        private static BadRecord wrongType(String name, String expected, JsonNode v) {
            return new BadRecord("field " + name + ": expected " + expected + ", got " + describe(v));
        }

        private static String describe(JsonNode v) {
            if (v.isTextual()) return "string '" + shorten(v.textValue()) + "'";
            if (v.isNumber()) return "number " + v.asText();
            if (v.isBoolean()) return "boolean " + v.asText();
            if (v.isArray()) return "an array";
            if (v.isObject()) return "an object";
            return v.getNodeType().name().toLowerCase();
        }
    }

    /** A record that breaks a rule; the message is the dead letter's reason. */
    static final class BadRecord extends RuntimeException {
        BadRecord(String reason) {
            super(reason, null, false, false);
        }
    }

    static int utf8Length(String s) {
        if (s.length() > MAX_RECORD_BYTES) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }

    private static String shorten(String s) {
        String one = oneLine(s);
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String line = s.replaceAll("[\\x00-\\x1F\\x7F\\u0085\\u2028\\u2029]+", " ").trim();
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }

}
