package dev.pulse.funnel;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds a user to the set of the step their event is. */
public class FunnelAggregate implements AggregateFunction<BehaviorEvent, FunnelAccumulator, FunnelTotals> {
    @Override
    public FunnelAccumulator createAccumulator() {
        return new FunnelAccumulator();
    }

    @Override
    public FunnelAccumulator add(BehaviorEvent e, FunnelAccumulator acc) {
        switch (e.eventType) {
            case BehaviorEvent.PAGE_VIEW: acc.viewers.add(e.userId); break;
            case BehaviorEvent.ADD_TO_CART: acc.carters.add(e.userId); break;
            case BehaviorEvent.CHECKOUT_START: acc.checkouts.add(e.userId); break;
            case BehaviorEvent.PURCHASE: acc.purchasers.add(e.userId); break;
            default: break;
        }
        return acc;
    }

    @Override
    public FunnelTotals getResult(FunnelAccumulator acc) {
        FunnelTotals t = new FunnelTotals();
        t.viewers = acc.viewers.size();
        t.carters = acc.carters.size();
        t.checkouts = acc.checkouts.size();
        t.purchasers = acc.purchasers.size();
        return t;
    }

    @Override
    public FunnelAccumulator merge(FunnelAccumulator a, FunnelAccumulator b) {
        a.viewers.addAll(b.viewers);
        a.carters.addAll(b.carters);
        a.checkouts.addAll(b.checkouts);
        a.purchasers.addAll(b.purchasers);
        return a;
    }
}
