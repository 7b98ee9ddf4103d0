package dev.pulse.paths;

import java.util.Arrays;

/**
 * A user's recent events sorted by (event time, event id): times, ids and type indexes in parallel arrays (a Flink
 * POJO: no Kryo, compact on the heap). Holds only events that a later accepted event can still follow or precede
 * within the session gap.
 */
public class RecentEvents {
    public long[] times = new long[4];
    public String[] ids = new String[4];
    public byte[] types = new byte[4];
    public int size;

    public RecentEvents() {}

    /** Where (time, id) goes: the index of the first event after it; -1 - index when it is already there. */
    int find(long time, String id) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = times[mid] != time ? Long.compare(times[mid], time) : ids[mid].compareTo(id);
            if (c == 0) {
                return -1 - mid;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    void insert(int at, long time, String id, byte type) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
            types = Arrays.copyOf(types, size * 2);
        }
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(ids, at, ids, at + 1, size - at);
        System.arraycopy(types, at, types, at + 1, size - at);
        times[at] = time;
        ids[at] = id;
        types[at] = type;
        size++;
    }

    /**
     * Drops what no event after {@code acceptedAfter} can border: every event before the last one at or before that
     * time (only the latest can still be a predecessor), and that one too once it is more than {@code gapMs} before it.
     */
    void forget(long acceptedAfter, long gapMs) {
        int n = 0;
        while (n < size && times[n] <= acceptedAfter) {
            n++;
        }
        if (n > 0 && times[n - 1] >= acceptedAfter - gapMs) {
            n--; // the latest event up to then: a later event within the gap still follows it
        }
        if (n > 0) {
            System.arraycopy(times, n, times, 0, size - n);
            System.arraycopy(ids, n, ids, 0, size - n);
            System.arraycopy(types, n, types, 0, size - n);
            Arrays.fill(ids, size - n, size, null);
            size -= n;
        }
    }
}
