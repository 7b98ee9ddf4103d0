package dev.pulse.support;

import dev.pulse.events.Event;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Arrival orders and the distinct counts a property test checks a per-user step against. */
public final class Disorder {
    private Disorder() {}

    /** Sorts by event time, then swaps neighbours less than {@code withinMs} apart at random: bounded disorder. */
    public static <E extends Event> void sortThenSwapNeighbours(List<E> events, Random random, long withinMs) {
        events.sort((a, b) -> Long.compare(a.eventTime, b.eventTime));
        for (int i = 0; i + 1 < events.size(); i++) {
            if (random.nextBoolean() && events.get(i + 1).eventTime - events.get(i).eventTime < withinMs) {
                Collections.swap(events, i, i + 1);
            }
        }
    }

    /** Per key, how many distinct members. */
    public static Map<String, Long> sizes(Map<String, Set<Long>> members) {
        Map<String, Long> counts = new HashMap<>();
        members.forEach((k, users) -> counts.put(k, (long) users.size()));
        return counts;
    }
}
