package dev.pulse.sessions;

import dev.pulse.events.BehaviorEvent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionAggregateTest {
    private final SessionAggregate fn = new SessionAggregate();
    private int ids;

    private BehaviorEvent event(String type, long time, String device) {
        BehaviorEvent e = new BehaviorEvent();
        e.eventId = "e" + (ids++);
        e.eventTime = time;
        e.eventType = type;
        e.deviceType = device;
        return e;
    }

    private SessionAccumulator feed(SessionAccumulator acc, BehaviorEvent... events) {
        for (BehaviorEvent e : events) {
            acc = fn.add(e, acc);
        }
        return acc;
    }

    @Test
    void theFunnelIgnoresAPurchaseBeforeTheFirstView() {
        SessionSummary s = fn.getResult(feed(fn.createAccumulator(),
                event("purchase", 0, "mobile"), event("page_view", 10, "mobile"),
                event("add_to_cart", 20, "mobile"), event("checkout_start", 30, "mobile")));
        assertThat(s.reachedView).isTrue();
        assertThat(s.reachedCart).isTrue();
        assertThat(s.reachedCheckout).isTrue();
        assertThat(s.reachedPurchase).isFalse();
        assertThat(s.device).isEqualTo("mobile");
        assertThat(s.events).isEqualTo(4);
        assertThat(s.last - s.start).isEqualTo(30);
    }

    @Test
    void aLateEarlierViewMakesAnEarlierCartCount() {
        SessionAccumulator acc = feed(fn.createAccumulator(), event("add_to_cart", 10, "desktop"),
                event("page_view", 20, "desktop"));
        assertThat(fn.getResult(acc).reachedCart).isFalse();

        acc = feed(acc, event("page_view", 5, "tablet")); // arrives late, happened first

        SessionSummary s = fn.getResult(acc);
        assertThat(s.reachedCart).isTrue();
        assertThat(s.device).isEqualTo("tablet");
        assertThat(acc.cartsBefore).isEmpty();
    }

    @Test
    void stepsAtTheSameInstantCountAsInOrder() {
        SessionSummary s = fn.getResult(feed(fn.createAccumulator(), event("purchase", 7, "other"),
                event("checkout_start", 7, "other"), event("add_to_cart", 7, "other"), event("page_view", 7, "other")));
        assertThat(s.reachedPurchase).isTrue();
    }

    @Test
    void mergingTwoSessionsRecomputesTheOrderedFunnel() {
        SessionAccumulator early = feed(fn.createAccumulator(), event("page_view", 0, "mobile"));
        SessionAccumulator late = feed(fn.createAccumulator(), event("add_to_cart", 50, "desktop"),
                event("checkout_start", 60, "desktop"), event("purchase", 70, "desktop"));
        assertThat(fn.getResult(late).reachedCart).isFalse();

        SessionSummary merged = fn.getResult(fn.merge(late, early));

        assertThat(merged.reachedPurchase).isTrue();
        assertThat(merged.device).isEqualTo("mobile");
        assertThat(merged.events).isEqualTo(4);
        assertThat(merged.start).isZero();
        assertThat(merged.last).isEqualTo(70);
    }
}
