package dev.pulse.orders;

import dev.pulse.window.RowDelta;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * Paid and cancelled orders at one rollup level, (*,*), (region,*) or (region,city), within one minute of event time:
 * one order event, or several added up in a task before the shuffle ({@code DeltaCombiner}). So a window adds one
 * fact per key and batch instead of one per order, which matters most on RocksDB, where each addition re-serialises
 * the window's accumulator with its set of buyers.
 */
public class OrderFact implements RowDelta<OrderFact> {
    public String region;
    public String city;
    /** The minute of event time its orders fall in: every window grain (1m, 1h, 1d) holds whole minutes. */
    public long minuteStart;
    public long orders;
    public BigDecimal gmv = BigDecimal.ZERO;
    public long items;
    public Set<Long> buyers = new HashSet<>();
    public long cancelledOrders;
    public BigDecimal cancelledAmount = BigDecimal.ZERO;

    public OrderFact() {}

    /** One paid or cancelled order event. */
    public OrderFact(String region, String city, boolean paid, long userId, int quantity, BigDecimal amount) {
        this.region = region;
        this.city = city;
        if (paid) {
            orders = 1;
            gmv = amount;
            items = quantity;
            buyers.add(userId);
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
        buyers.addAll(other.buyers);
        cancelledOrders += other.cancelledOrders;
        cancelledAmount = cancelledAmount.add(other.cancelledAmount);
    }

    @Override
    public long timestamp() {
        return minuteStart;
    }

    private record Key(String region, String city, long minuteStart) {}
}
