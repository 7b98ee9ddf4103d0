package dev.pulse.sql;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * {@code PULSE_SESSION(event_ts, event_id, event_type, device_type)}: what SPEC §3 needs of one session that plain SQL
 * over a SESSION window cannot say, as {@code ROW<device_type, reached, first_ms, last_ms>}:
 * the device of the session's first event (by event time, then event_id), how far the ordered funnel got
 * (0 none, 1 view, 2 cart, 3 checkout, 4 purchase: first page_view; first add_to_cart at or after it; first
 * checkout_start at or after that; first purchase at or after that), and the first and last event time (epoch ms).
 * and the number of distinct event_ids (a re-delivered event, same id and same event time, lands in the same
 * session and counts once: de-duplication inside the window aggregate keeps the SESSION window insert-only).
 * Mergeable, as SESSION windows merge.
 */
@FunctionHint(output = @DataTypeHint("ROW<device_type STRING, reached INT, first_ms BIGINT, last_ms BIGINT, events BIGINT>"))
public class SessionFunnel extends AggregateFunction<Row, SessionFunnel.Acc> {

    /** Accumulator: first event (time, id, device), last time, first view, and every cart/checkout/purchase time. */
    public static class Acc {
        public long firstMs = Long.MAX_VALUE;
        public String firstId;
        public String firstDevice;
        public long lastMs = Long.MIN_VALUE;
        public long viewMs = Long.MAX_VALUE;
        public long[] carts = new long[0];
        public long[] checkouts = new long[0];
        public long[] purchases = new long[0];
        public String[] ids = new String[0];
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, LocalDateTime eventTs, String eventId, String eventType, String deviceType) {
        if (eventTs == null) {
            return;
        }
        if (eventId != null) {
            int at = Arrays.binarySearch(acc.ids, eventId);
            if (at >= 0) {
                return;
            }
            String[] ids = new String[acc.ids.length + 1];
            int ins = -at - 1;
            System.arraycopy(acc.ids, 0, ids, 0, ins);
            ids[ins] = eventId;
            System.arraycopy(acc.ids, ins, ids, ins + 1, acc.ids.length - ins);
            acc.ids = ids;
        }
        long t = eventTs.toInstant(ZoneOffset.UTC).toEpochMilli();
        first(acc, t, eventId, deviceType);
        acc.lastMs = Math.max(acc.lastMs, t);
        if (eventType == null) {
            return;
        }
        switch (eventType) {
            case "page_view": acc.viewMs = Math.min(acc.viewMs, t); break;
            case "add_to_cart": acc.carts = append(acc.carts, t); break;
            case "checkout_start": acc.checkouts = append(acc.checkouts, t); break;
            case "purchase": acc.purchases = append(acc.purchases, t); break;
            default: break;
        }
    }

    public void merge(Acc acc, Iterable<Acc> others) {
        for (Acc o : others) {
            // Distinct ids of both sides (a re-delivery could only sit in the other side if its time differed).
            java.util.TreeSet<String> ids = new java.util.TreeSet<>(Arrays.asList(acc.ids));
            ids.addAll(Arrays.asList(o.ids));
            acc.ids = ids.toArray(new String[0]);
            if (o.firstId != null || o.firstMs != Long.MAX_VALUE) {
                first(acc, o.firstMs, o.firstId, o.firstDevice);
            }
            acc.lastMs = Math.max(acc.lastMs, o.lastMs);
            acc.viewMs = Math.min(acc.viewMs, o.viewMs);
            acc.carts = concat(acc.carts, o.carts);
            acc.checkouts = concat(acc.checkouts, o.checkouts);
            acc.purchases = concat(acc.purchases, o.purchases);
        }
    }

    @Override
    public Row getValue(Acc acc) {
        if (acc.firstMs == Long.MAX_VALUE) {
            return null;
        }
        int reached = 0;
        if (acc.viewMs != Long.MAX_VALUE) {
            reached = 1;
            long cart = firstAtOrAfter(acc.carts, acc.viewMs);
            if (cart != Long.MAX_VALUE) {
                reached = 2;
                long checkout = firstAtOrAfter(acc.checkouts, cart);
                if (checkout != Long.MAX_VALUE) {
                    reached = 3;
                    if (firstAtOrAfter(acc.purchases, checkout) != Long.MAX_VALUE) {
                        reached = 4;
                    }
                }
            }
        }
        return Row.of(acc.firstDevice, reached, acc.firstMs, acc.lastMs, (long) acc.ids.length);
    }

    private static void first(Acc acc, long t, String id, String device) {
        if (t < acc.firstMs || t == acc.firstMs && id != null && (acc.firstId == null || id.compareTo(acc.firstId) < 0)) {
            acc.firstMs = t;
            acc.firstId = id;
            acc.firstDevice = device;
        }
    }

    static long firstAtOrAfter(long[] times, long from) {
        long best = Long.MAX_VALUE;
        for (long t : times) {
            if (t >= from && t < best) {
                best = t;
            }
        }
        return best;
    }

    private static long[] append(long[] a, long t) {
        long[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = t;
        return b;
    }

    private static long[] concat(long[] a, long[] b) {
        if (b.length == 0) return a;
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
