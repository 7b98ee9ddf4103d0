package dev.pulse.window;

/** Early-result ticks are aligned to the emit interval, so every window of a subtask flushes in the same batch. */
public final class Ticks {
    private Ticks() {}

    /** The first interval boundary after {@code now}. */
    public static long next(long now, long intervalMs) {
        return now - Math.floorMod(now, intervalMs) + intervalMs;
    }
}
