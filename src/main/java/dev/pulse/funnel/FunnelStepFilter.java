package dev.pulse.funnel;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.functions.FilterFunction;

/** Keeps the behaviour events that are a funnel step; clicks are in no step. */
public class FunnelStepFilter implements FilterFunction<BehaviorEvent> {
    @Override
    public boolean filter(BehaviorEvent e) {
        return !BehaviorEvent.CLICK.equals(e.eventType);
    }
}
