package dev.pulse.sliding;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A pane as entries, the latest update per (pane start, entry key): for panes of many members each updated on its
 * own (a product of the top-N), where one value per pane would be read and rewritten whole for every member's update
 * (on RocksDB, a pane of 1,000 products re-serialised per update). An update writes its entry only, reading nothing;
 * a timer reads every entry once, folding the panes of all its windows and dropping expired panes in that pass.
 * Needs updates that are their entry's full value, and a fold that does not depend on the order of a pane's
 * entries. State {@code pane-entries}: keys (pane start, entry key) serialised as two longs, values as updates.
 */
final class PaneEntries<P, S> implements PaneStore<P, S> {
    private static final long serialVersionUID = 1L;

    /** The member of a pane an update is for. */
    @FunctionalInterface
    interface EntryKey<P> extends Serializable {
        long of(P update);
    }

    private final TypeInformation<P> updateType;
    private final EntryKey<P> entryKey;
    private transient MapState<Tuple2<Long, Long>, P> entries;

    PaneEntries(TypeInformation<P> updateType, EntryKey<P> entryKey) {
        this.updateType = updateType;
        this.entryKey = entryKey;
    }

    @Override
    public void open(RuntimeContext context) {
        entries = context.getMapState(new MapStateDescriptor<>("pane-entries",
                Types.TUPLE(Types.LONG, Types.LONG), updateType));
    }

    @Override
    public void keep(long paneStart, P update, Fold<S, P> fold) throws Exception {
        entries.put(Tuple2.of(paneStart, entryKey.of(update)), update);
    }

    @Override
    public NavigableMap<Long, S> readAndDrop(Set<Long> starts, long lastExpired, Fold<S, P> fold) throws Exception {
        NavigableMap<Long, S> read = new TreeMap<>();
        List<Tuple2<Long, Long>> expired = new ArrayList<>();
        for (Map.Entry<Tuple2<Long, Long>, P> entry : entries.entries()) {
            Long start = entry.getKey().f0;
            if (starts.contains(start)) {
                read.put(start, fold.apply(read.get(start), entry.getValue())); // on RocksDB the only values read
            }
            if (start <= lastExpired) {
                expired.add(entry.getKey());
            }
        }
        for (Tuple2<Long, Long> key : expired) {
            entries.remove(key);
        }
        return read;
    }

    @Override
    public boolean isEmpty() throws Exception {
        return entries.isEmpty();
    }
}
