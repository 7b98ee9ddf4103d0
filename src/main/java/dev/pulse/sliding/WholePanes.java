package dev.pulse.sliding;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * One value per pane, read and rewritten whole on each update: right when an update replaces or touches the whole
 * pane anyway (a GMV pane). State {@code panes}, as released.
 */
final class WholePanes<P, S> implements PaneStore<P, S> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<S> paneType;
    private transient MapState<Long, S> panes;

    WholePanes(TypeInformation<S> paneType) {
        this.paneType = paneType;
    }

    @Override
    public void open(RuntimeContext context) {
        panes = context.getMapState(new MapStateDescriptor<>("panes", Types.LONG, paneType));
    }

    @Override
    public void keep(long paneStart, P update, Fold<S, P> fold) throws Exception {
        panes.put(paneStart, fold.apply(panes.get(paneStart), update));
    }

    @Override
    public NavigableMap<Long, S> readAndDrop(Set<Long> starts, long lastExpired, Fold<S, P> fold) throws Exception {
        NavigableMap<Long, S> read = new TreeMap<>();
        for (Long start : starts) {
            S pane = panes.get(start);
            if (pane != null) {
                read.put(start, pane);
            }
        }
        if (lastExpired == NONE_EXPIRED) {
            return read;
        }
        List<Long> expired = new ArrayList<>();
        for (Long start : panes.keys()) {
            if (start <= lastExpired) {
                expired.add(start);
            }
        }
        for (Long start : expired) {
            panes.remove(start);
        }
        return read;
    }

    @Override
    public boolean isEmpty() throws Exception {
        return panes.isEmpty();
    }
}
