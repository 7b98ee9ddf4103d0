package dev.pulse.sessions;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental session state; merges when Flink merges two sessions of a user. */
public class SessionAggregate implements AggregateFunction<BehaviorEvent, SessionAccumulator, SessionSummary> {
    @Override
    public SessionAccumulator createAccumulator() {
        return new SessionAccumulator();
    }

    @Override
    public SessionAccumulator add(BehaviorEvent e, SessionAccumulator acc) {
        acc.events++;
        if (e.eventTime < acc.firstTime || (e.eventTime == acc.firstTime && e.eventId.compareTo(acc.firstEventId) < 0)) {
            acc.firstTime = e.eventTime;
            acc.firstEventId = e.eventId;
            acc.firstDevice = e.deviceType;
        }
        acc.lastTime = Math.max(acc.lastTime, e.eventTime);
        switch (e.eventType) {
            case BehaviorEvent.PAGE_VIEW: acc.view = Math.min(acc.view, e.eventTime); break;
            case BehaviorEvent.ADD_TO_CART: acc.cartsBefore.add(e.eventTime); break;
            case BehaviorEvent.CHECKOUT_START: acc.checkoutsBefore.add(e.eventTime); break;
            case BehaviorEvent.PURCHASE: acc.purchasesBefore.add(e.eventTime); break;
            default: return acc;
        }
        acc.settle();
        return acc;
    }

    @Override
    public SessionSummary getResult(SessionAccumulator acc) {
        SessionSummary s = new SessionSummary();
        s.start = acc.firstTime;
        s.last = acc.lastTime;
        s.device = acc.firstDevice;
        s.events = acc.events;
        s.reachedView = acc.view != SessionAccumulator.NONE;
        s.reachedCart = acc.cart != SessionAccumulator.NONE;
        s.reachedCheckout = acc.checkout != SessionAccumulator.NONE;
        s.reachedPurchase = acc.purchase != SessionAccumulator.NONE;
        return s;
    }

    @Override
    public SessionAccumulator merge(SessionAccumulator a, SessionAccumulator b) {
        a.events += b.events;
        if (b.firstTime < a.firstTime || (b.firstTime == a.firstTime && b.firstEventId.compareTo(a.firstEventId) < 0)) {
            a.firstTime = b.firstTime;
            a.firstEventId = b.firstEventId;
            a.firstDevice = b.firstDevice;
        }
        a.lastTime = Math.max(a.lastTime, b.lastTime);
        a.view = Math.min(a.view, b.view);
        mergeStep(a.cartsBefore, b.cartsBefore, b.cart);
        mergeStep(a.checkoutsBefore, b.checkoutsBefore, b.checkout);
        mergeStep(a.purchasesBefore, b.purchasesBefore, b.purchase);
        a.settle();
        return a;
    }

    private static void mergeStep(java.util.List<Long> into, java.util.List<Long> before, long best) {
        into.addAll(before);
        if (best != SessionAccumulator.NONE) {
            into.add(best);
        }
    }
}
