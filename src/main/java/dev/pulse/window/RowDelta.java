package dev.pulse.window;

/**
 * A signed change to one sink row that can absorb another change to the same row, so that {@link DeltaCombiner}
 * can add up a batch of changes before they cross the network: the rows step then sees one change per row and
 * batch instead of one per event.
 */
public interface RowDelta<D extends RowDelta<D>> {
    /** The row this delta changes: deltas with equal keys change the same row. */
    Object rowKey();

    /** Adds {@code other}, a delta to the same row, into this one. */
    void absorb(D other);

    /**
     * The event time the combined record carries, when the next step assigns windows by it (all changes to one row
     * fall in the same windows); {@link Long#MIN_VALUE}: the latest timestamp of the batch.
     */
    default long timestamp() {
        return Long.MIN_VALUE;
    }
}
