package dev.pulse.active;

import java.util.Arrays;

/**
 * One user's marks: for each open window of each grain, the bits of the event types the user did in it. Parallel
 * arrays of a handful of entries (a few 1-minute windows within lateness, one or two hours, one or two days), read and
 * written as one value per event on either state backend.
 */
public class UserMarks {
    private static final long[] NO_ENTRIES = new long[0];
    private static final int[] NO_BITS = new int[0];

    /** Window start * grains + grain index. */
    public long[] entries = NO_ENTRIES;
    public int[] bits = NO_BITS;
    /** The event-time timer pending for this user, {@link Long#MAX_VALUE} when none is. */
    public long timerAt = Long.MAX_VALUE;

    public UserMarks() {}

    int indexOf(long entry) {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] == entry) {
                return i;
            }
        }
        return -1;
    }

    void add(long entry, int entryBits) {
        entries = Arrays.copyOf(entries, entries.length + 1);
        bits = Arrays.copyOf(bits, bits.length + 1);
        entries[entries.length - 1] = entry;
        bits[bits.length - 1] = entryBits;
    }

    /** Keeps the entries for which {@code keep} holds, in order. */
    void retain(java.util.function.LongPredicate keep) {
        int n = 0;
        for (int i = 0; i < entries.length; i++) {
            if (keep.test(entries[i])) {
                entries[n] = entries[i];
                bits[n] = bits[i];
                n++;
            }
        }
        if (n < entries.length) {
            entries = Arrays.copyOf(entries, n);
            bits = Arrays.copyOf(bits, n);
        }
    }
}
