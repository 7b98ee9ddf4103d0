package dev.pulse.funnel;

import dev.pulse.active.ActiveDelta;
import dev.pulse.active.ActiveUsers;
import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.functions.FilterFunction;

import java.util.List;

/**
 * Keeps the active-user deltas that move a funnel step: a user's first event of a step's type in a 1-minute or
 * 1-hour window. A funnel step's count is the number of distinct users who did it in the window, which is exactly
 * what those deltas add up to.
 */
public class FunnelSteps implements FilterFunction<ActiveDelta> {
    /** The steps in funnel order: viewers, carters, checkouts, purchasers. */
    public static final List<String> TYPES = List.of(BehaviorEvent.PAGE_VIEW, BehaviorEvent.ADD_TO_CART,
            BehaviorEvent.CHECKOUT_START, BehaviorEvent.PURCHASE);
    /** The grains of funnel_metrics, as indexes into {@link ActiveUsers#GRAINS}. */
    public static final List<String> GRAINS = List.of("1m", "1h");

    static int grainIndex(String label) {
        for (int g = 0; g < ActiveUsers.GRAINS.size(); g++) {
            if (ActiveUsers.GRAINS.get(g).label().equals(label)) {
                return g;
            }
        }
        throw new IllegalArgumentException("no active_users grain " + label);
    }

    @Override
    public boolean filter(ActiveDelta d) {
        return d.users != 0 && TYPES.contains(d.eventType)
                && GRAINS.contains(ActiveUsers.GRAINS.get(d.grain).label());
    }
}
