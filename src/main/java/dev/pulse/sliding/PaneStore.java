package dev.pulse.sliding;

import org.apache.flink.api.common.functions.RuntimeContext;

import java.io.Serializable;
import java.util.NavigableMap;
import java.util.Set;

/**
 * How {@link SlidingFromPanes} keeps its panes in keyed state: one value per pane ({@link WholePanes}), or one entry
 * per member of a pane ({@link PaneEntries}), so that on RocksDB an update rewrites only what it changed.
 *
 * @param <P> a pane update
 * @param <S> a pane as windows are computed from it
 */
interface PaneStore<P, S> extends Serializable {
    /** {@code lastExpired} of a read that drops nothing. */
    long NONE_EXPIRED = Long.MIN_VALUE;

    /** Folds an update into a pane ({@code pane} null when there is none yet); {@link SlidingFromPanes#store}. */
    @FunctionalInterface
    interface Fold<S, P> {
        S apply(S pane, P update) throws Exception;
    }

    /** Registers the state; from {@code open}. */
    void open(RuntimeContext context);

    /** Keeps an update of the pane starting at {@code paneStart}. */
    void keep(long paneStart, P update, Fold<S, P> fold) throws Exception;

    /**
     * The panes starting at {@code starts}, by start (absent: none there); then drops every pane starting at or before
     * {@code lastExpired}, read or not ({@link #NONE_EXPIRED}: none). The panes returned stay valid.
     */
    NavigableMap<Long, S> readAndDrop(Set<Long> starts, long lastExpired, Fold<S, P> fold) throws Exception;

    boolean isEmpty() throws Exception;
}
