package dev.pulse.window;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * One key for a whole stream, for metrics that are not split by any dimension (funnel, sliding GMV, top-N
 * ranking). Runs on one subtask: the per-event work before it is spread, and what reaches it is small.
 */
public class ConstantKey<T> implements KeySelector<T, Integer> {
    @Override
    public Integer getKey(T value) {
        return 0;
    }
}
