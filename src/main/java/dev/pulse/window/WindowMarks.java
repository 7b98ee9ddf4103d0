package dev.pulse.window;

import org.apache.flink.streaming.api.TimerService;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * One user's marks: the windows (an entry: window start * grains + grain index) and rollup keys (region, city, or
 * null) the user was already counted in. Distinct counts so become sums downstream: a window adds +1 where a user is
 * new to it, no window holds a set of users, and the marks of a user are one small value read and written once per
 * event on either state backend (no set re-serialised per update on RocksDB). Parallel arrays of a handful of entries.
 */
public class WindowMarks {
    private static final long[] NO_ENTRIES = new long[0];
    private static final String[] NO_KEYS = new String[0];

    public long[] entries = NO_ENTRIES;
    public String[] regions = NO_KEYS;
    public String[] cities = NO_KEYS;
    /** The event-time timer pending for this user, {@link Long#MAX_VALUE} when none is. */
    public long timerAt = Long.MAX_VALUE;

    public WindowMarks() {}

    public static long entry(long windowStart, int grain, int grains) {
        return windowStart * grains + grain;
    }

    public static long windowStart(long entry, int grains) {
        return Math.floorDiv(entry, (long) grains);
    }

    public static int grain(long entry, int grains) {
        return (int) Math.floorMod(entry, (long) grains);
    }

    public boolean contains(long entry, String region, String city) {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] == entry && Objects.equals(regions[i], region) && Objects.equals(cities[i], city)) {
                return true;
            }
        }
        return false;
    }

    /** Marks the user as counted in this window and key; true when the mark is new (the user counts now). */
    public boolean add(long entry, String region, String city) {
        if (contains(entry, region, city)) {
            return false;
        }
        int n = entries.length;
        entries = Arrays.copyOf(entries, n + 1);
        regions = Arrays.copyOf(regions, n + 1);
        cities = Arrays.copyOf(cities, n + 1);
        entries[n] = entry;
        regions[n] = region;
        cities[n] = city;
        return true;
    }

    /** Keeps the entries for which {@code keep} holds, in order. */
    public void retain(LongPredicate keep) {
        int n = 0;
        for (int i = 0; i < entries.length; i++) {
            if (keep.test(entries[i])) {
                entries[n] = entries[i];
                regions[n] = regions[i];
                cities[n] = cities[i];
                n++;
            }
        }
        if (n < entries.length) {
            entries = Arrays.copyOf(entries, n);
            regions = Arrays.copyOf(regions, n);
            cities = Arrays.copyOf(cities, n);
        }
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    /**
     * One timer per user, at the earliest instant one of its entries can go ({@code purgeAt}): a later one pending
     * is deleted, so a user never holds more than one.
     */
    public void schedule(TimerService timers, LongUnaryOperator purgeAt) {
        long due = Long.MAX_VALUE;
        for (long e : entries) {
            due = Math.min(due, purgeAt.applyAsLong(e));
        }
        if (due < timerAt) {
            if (timerAt != Long.MAX_VALUE) {
                timers.deleteEventTimeTimer(timerAt);
            }
            timers.registerEventTimeTimer(due);
            timerAt = due;
        }
    }

    /** At a timer: forgets it if it is the pending one and drops the entries due by then. */
    public void expire(long timestamp, LongUnaryOperator purgeAt) {
        if (timestamp == timerAt) {
            timerAt = Long.MAX_VALUE;
        }
        retain(e -> purgeAt.applyAsLong(e) > timestamp);
    }
}
