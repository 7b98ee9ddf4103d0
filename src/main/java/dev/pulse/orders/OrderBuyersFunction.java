package dev.pulse.orders;

import dev.pulse.events.OrderEvent;
import dev.pulse.window.MarksFunction;
import dev.pulse.window.Rollup;
import dev.pulse.window.WindowMarks;
import dev.pulse.window.Windows;

import org.apache.flink.util.Collector;

/**
 * Keyed by buyer. GMV semantics of SPEC §3: a {@code paid} event adds the order to GMV, a {@code cancelled} event
 * counts apart, {@code pending} and {@code completed} add nothing. Each counted event becomes a fact at the three
 * rollup levels, (*,*), (region,*), (region,city); a paid one carries +1 buyer for each grain's window where the
 * buyer is new to that window and level, so {@code unique_buyers} is a sum and exact.
 */
public class OrderBuyersFunction extends MarksFunction<OrderEvent, OrderFact> {
    private static final int GRAINS = OrderMetrics.GRAINS.size();
    private static final long[] SIZES = OrderMetrics.GRAINS.stream().mapToLong(g -> g.size().toMillis()).toArray();

    public OrderBuyersFunction(long allowedLatenessMs) {
        super(allowedLatenessMs);
    }

    @Override
    protected boolean mark(OrderEvent e, WindowMarks buyer, Collector<OrderFact> out) {
        boolean paid = OrderEvent.PAID.equals(e.status);
        if (!paid && !OrderEvent.CANCELLED.equals(e.status)) {
            return false;
        }
        long minute = Windows.finestStart(e.eventTime);
        boolean marked = false;
        marked |= emit(Rollup.ALL, Rollup.ALL, paid, e, minute, buyer, out);
        marked |= emit(e.region, Rollup.ALL, paid, e, minute, buyer, out);
        marked |= emit(e.region, e.city, paid, e, minute, buyer, out);
        return marked;
    }

    private static boolean emit(String region, String city, boolean paid, OrderEvent e, long minute, WindowMarks buyer,
                                Collector<OrderFact> out) {
        OrderFact f = new OrderFact(region, city, paid, e.quantity, e.amount);
        f.minuteStart = minute;
        boolean marked = false;
        if (paid) {
            for (int g = 0; g < GRAINS; g++) {
                long start = e.eventTime - Math.floorMod(e.eventTime, SIZES[g]);
                if (buyer.add(WindowMarks.entry(start, g, GRAINS), region, city)) {
                    f.newBuyers[g] = 1;
                    marked = true;
                }
            }
        }
        out.collect(f);
        return marked;
    }

    @Override
    protected long purgeAt(long entry) {
        return WindowMarks.windowStart(entry, GRAINS) + SIZES[WindowMarks.grain(entry, GRAINS)] - 1 + allowedLatenessMs;
    }
}
