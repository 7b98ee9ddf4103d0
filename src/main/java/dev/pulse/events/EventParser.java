package dev.pulse.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Turns one JSON record into a typed event, or into a bad {@link Envelope} with a one-line reason naming the
 * field and the rule it breaks (SPEC §1). Never throws for bad input.
 */
public final class EventParser {
    /** Records larger than this (UTF-8 bytes) are dead letters. */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)) // keep 12.50 as written
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(2 * MAX_RECORD_BYTES).build());
    }

    private static final Set<String> ORDER_STATUS =
            Set.of(OrderEvent.PENDING, OrderEvent.PAID, OrderEvent.COMPLETED, OrderEvent.CANCELLED);
    private static final Set<String> BEHAVIOR_TYPES = Set.of(BehaviorEvent.PAGE_VIEW, BehaviorEvent.CLICK,
            BehaviorEvent.ADD_TO_CART, BehaviorEvent.CHECKOUT_START, BehaviorEvent.PURCHASE);
    private static final Set<String> DEVICE_TYPES = Set.of("desktop", "mobile", "tablet", "other");
    private static final Set<String> PAYMENT_STATUS = Set.of(PaymentEvent.SUCCESS, PaymentEvent.FAILED);

    private EventParser() {}

    public static Envelope parse(StreamName stream, String text, String source) {
        int bytes = utf8Length(text);
        if (bytes > MAX_RECORD_BYTES) {
            return tooLarge(stream, text, bytes, source);
        }
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
            event.eventId = f.requiredText("event_id");
            event.eventTime = f.eventTime();
            return Envelope.valid(stream, source, event);
        } catch (BadRecord e) {
            return Envelope.bad(stream, source, e.getMessage(), clean(text));
        } catch (JsonProcessingException e) {
            return Envelope.bad(stream, source, "not JSON: " + oneLine(e.getOriginalMessage()), clean(text));
        }
    }

    /** A record whose size alone disqualifies it; {@code head} is what was kept of it. */
    public static Envelope tooLarge(StreamName stream, String head, long bytes, String source) {
        String kept = head.length() > MAX_RECORD_BYTES ? head.substring(0, MAX_RECORD_BYTES) : head;
        return Envelope.bad(stream, source,
                "record too large: " + bytes + " bytes > 1 MiB limit (payload keeps its first part)", clean(kept));
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
        o.region = f.optionalText("region", "unknown");
        o.city = f.optionalText("city", "unknown");
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
        p.method = f.requiredText("method");
        p.status = f.requiredEnum("status", PAYMENT_STATUS);
        return p;
    }

    /** Typed access to the fields of one JSON object; each check fails with a reason naming the field. */
    private static final class Fields {
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
            return v.textValue();
        }

        String optionalText(String name, String fallback) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual()) {
                throw wrongType(name, "a string", v);
            }
            return v.textValue().isEmpty() ? fallback : v.textValue();
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
                try {
                    d = new BigDecimal(v.textValue().trim());
                } catch (NumberFormatException e) {
                    throw wrongType(name, "a decimal number", v);
                }
            } else {
                throw wrongType(name, "a decimal number", v);
            }
            if (d.signum() < 0) {
                throw new BadRecord("field " + name + ": must be >= 0, got " + d.toPlainString());
            }
            return d;
        }

        String requiredEnum(String name, Set<String> allowed) {
            String v = requiredText(name);
            if (!allowed.contains(v)) {
                throw new BadRecord("field " + name + ": unknown value '" + shorten(v) + "' (expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            return v;
        }

        long eventTime() {
            JsonNode v = present("event_time");
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                return v.longValue();
            }
            if (v.isTextual()) {
                try {
                    return OffsetDateTime.parse(v.textValue().trim()).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new BadRecord("field event_time: '" + shorten(v.textValue())
                            + "' is not ISO-8601 with an offset (2025-10-03T10:15:30.123Z) nor epoch milliseconds");
                }
            }
            throw wrongType("event_time", "an ISO-8601 string or epoch milliseconds", v);
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
        String line = s.replaceAll("[\\r\\n\\t]+", " ").trim();
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }

    /** PostgreSQL text cannot hold NUL. */
    private static String clean(String raw) {
        return raw.indexOf('\0') >= 0 ? raw.replace('\0', '\uFFFD') : raw;
    }
}
