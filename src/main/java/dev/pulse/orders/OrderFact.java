package dev.pulse.orders;

import dev.pulse.window.RowDelta;

import java.math.BigDecimal;

/**
 * Paid and cancelled orders at one rollup level, (*,*), (region,*) or (region,city), within one minute of event time:
 * one order event, or several added up in a task before the shuffle ({@code DeltaCombiner}). So a window adds one
 * fact per key and batch instead of one per order. Buyers are counted where they are new to a window
 * ({@link OrderBuyersFunction}), so they add up like every other field.
 */
public class OrderFact implements RowDelta<OrderFact> {
    public String region;
    public String city;
    /** The minute of event time its orders fall in: every window grain (1m, 1h, 1d) holds whole minutes. */
    public long minuteStart;
    public long orders;
    public BigDecimal gmv = BigDecimal.ZERO;
    public long items;
    /** Per grain of {@link OrderMetrics#GRAINS}: buyers new to that grain's window and this rollup key. */
    public long[] newBuyers = new long[OrderMetrics.GRAINS.size()];
    public long cancelledOrders;
    public BigDecimal cancelledAmount = BigDecimal.ZERO;

    public OrderFact() {}

    /** One paid or cancelled order event. */
    public OrderFact(String region, String city, boolean paid, int quantity, BigDecimal amount) {
        this.region = region;
        this.city = city;
        if (paid) {
            orders = 1;
            gmv = amount;
            items = quantity;
        } else {
            cancelledOrders = 1;
            cancelledAmount = amount;
        }
    }

    @Override
    public Object rowKey() {
        return new Key(region, city, minuteStart);
    }

    @Override
    public void absorb(OrderFact other) {
        orders += other.orders;
        gmv = gmv.add(other.gmv);
        items += other.items;
        for (int g = 0; g < newBuyers.length; g++) {
            newBuyers[g] += other.newBuyers[g];
        }
        cancelledOrders += other.cancelledOrders;
        cancelledAmount = cancelledAmount.add(other.cancelledAmount);
    }

    @Override
    public long timestamp() {
        return minuteStart;
    }

    private record Key(String region, String city, long minuteStart) {}
}
