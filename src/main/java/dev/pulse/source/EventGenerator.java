package dev.pulse.source;

import dev.pulse.events.StreamName;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic e-commerce event sequence. Record {@code n} of a stream is a pure function of
 * (seed, stream, n), so a live source and a JSONL dataset of the same seed hold the same records, and any
 * record can be produced without the ones before it (Flink's generator source splits by index).
 *
 * <p>Event time of record n is {@code start + n / streamRate}; streams run at the target mix
 * orders : behaviour : payments = 1000 : 5000 : 500 per second at rate 1000. The sequence models order
 * lifecycles (pending, then paid or still pending, then completed or cancelled), payments with failed attempts,
 * funnel journeys per user with bounces, skewed product and user popularity, regions and cities in Chinese, and
 * the faults real producers have: disorder, re-delivery and malformed records, each a configurable share.
 */
public final class EventGenerator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Shares and bounds of the faults in the sequence. */
    /**
     * Shares and bounds of the faults in the sequence. {@code repeatShare}: orders whose paid (or, for unpaid
     * orders, cancelled) event comes again with a new event id and another amount, which must count nowhere.
     * {@code lateShare}: records {@code lateBy} to twice that behind their place in the stream.
     */
    public record Faults(double disorderShare, Duration maxDisorder, double duplicateShare, double malformedShare,
                         double lateShare, Duration lateBy, double repeatShare) implements Serializable {
        /** Disorder within the default lateness, ~2 % re-delivered, ~0.5 % malformed, ~2 % repeated paid/cancelled
         * events, nothing beyond lateness. */
        public static Faults standard() {
            return new Faults(0.10, Duration.ofSeconds(40), 0.02, 0.005, 0.0, Duration.ofMinutes(5), 0.02);
        }

        public Faults withLate(double share, Duration by) {
            return new Faults(disorderShare, maxDisorder, duplicateShare, malformedShare, share, by, repeatShare);
        }
    }

    private static final String[][] REGIONS = {
        {"华东", "上海", "杭州", "南京", "苏州"},
        {"华北", "北京", "天津", "石家庄"},
        {"华南", "广州", "深圳", "厦门"},
        {"西南", "成都", "重庆"},
        {"华中", "武汉", "长沙"},
    };
    private static final double[] REGION_WEIGHTS = {0.34, 0.26, 0.2, 0.12, 0.08};
    private static final String[] CATEGORIES = {"electronics", "apparel", "home", "beauty", "books", "grocery", "toys", "sports"};
    private static final String[] METHODS = {"alipay", "wechat_pay", "card", "paypal"};
    private static final double[] METHOD_WEIGHTS = {0.4, 0.35, 0.2, 0.05};
    private static final String[] DEVICES = {"desktop", "mobile", "tablet", "other"};
    private static final double[] DEVICE_WEIGHTS = {0.42, 0.48, 0.07, 0.03};
    private static final int PRODUCTS = 500;
    private static final int USERS = 50_000;
    private static final int JOURNEY_SLOTS = 8;
    private static final int CONCURRENT_JOURNEYS = 32;

    private final long seed;
    private final double rate;
    private final long startMillis;
    private final Faults faults;
    private final String tag;

    public EventGenerator(long seed, double ordersPerSecond, long startMillis, Faults faults) {
        this.seed = seed;
        this.rate = ordersPerSecond;
        this.startMillis = startMillis;
        this.faults = faults;
        this.tag = Long.toString(seed & 0xFFFFFFFFL, 36);
    }

    public double ratePerSecond(StreamName stream) {
        switch (stream) {
            case ORDERS: return rate;
            case BEHAVIOR: return rate * 5;
            default: return rate / 2;
        }
    }

    /** How many records of the stream fall into the first {@code span} of event time. */
    public long count(StreamName stream, Duration span) {
        return (long) Math.floor(span.toMillis() * ratePerSecond(stream) / 1000.0);
    }

    /** Whether record n of the stream is one of the malformed ones (what a dataset's manifest lists). */
    public boolean isMalformed(StreamName stream, long n) {
        double roll = rng(stream.ordinal() * 7 + 1, n).nextDouble();
        return !(roll < faults.duplicateShare() && n > 0) && roll < faults.duplicateShare() + faults.malformedShare();
    }

    /** Record n of the stream as one JSON line (possibly a re-delivery or a malformed record). */
    public String line(StreamName stream, long n) {
        SplittableRandom r = rng(stream.ordinal() * 7 + 1, n);
        double roll = r.nextDouble();
        if (roll < faults.duplicateShare() && n > 0) {
            long back = 1 + r.nextInt((int) Math.min(n, 200));
            return wellFormed(stream, n - back);
        }
        if (roll < faults.duplicateShare() + faults.malformedShare()) {
            return malformed(stream, n, r);
        }
        return wellFormed(stream, n);
    }

    private String wellFormed(StreamName stream, long n) {
        switch (stream) {
            case ORDERS: return order(n);
            case BEHAVIOR: return behavior(n);
            default: return payment(n);
        }
    }

    /**
     * Record n's place in time: {@code start + n / streamRate}, its event time before any disorder. A live producer
     * sends the record when the wall clock reaches it.
     */
    public long baseTime(StreamName stream, long n) {
        return startMillis + (long) Math.floor(n * 1000.0 / ratePerSecond(stream));
    }

    /** Event time as written: disorder moves some records back in time, so they arrive after later ones. */
    private long eventTime(StreamName stream, long n) {
        long t = baseTime(stream, n);
        SplittableRandom r = rng(stream.ordinal() * 7 + 2, n);
        double roll = r.nextDouble();
        if (roll < faults.disorderShare()) {
            t -= 1 + r.nextLong(Math.max(1, faults.maxDisorder().toMillis()));
        } else if (roll < faults.disorderShare() + faults.lateShare()) {
            t -= faults.lateBy().toMillis() + r.nextLong(Math.max(1, faults.lateBy().toMillis()));
        }
        return t;
    }

    private static void time(StringBuilder sb, long t, long n) {
        switch ((int) (n % 5)) {
            case 0:
                sb.append(t);
                break;
            case 1:
                sb.append('"').append(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHours(8))).append('"');
                break;
            default:
                sb.append('"').append(Instant.ofEpochMilli(t)).append('"');
        }
    }

    private record OrderAttrs(long orderId, long userId, long productId, int quantity, BigDecimal price,
                              BigDecimal amount, String region, String city, boolean paid, boolean completed) {}

    private OrderAttrs orderAttrs(long k) {
        SplittableRandom r = rng(100, k);
        long product = skewed(r, PRODUCTS, 3);
        long user = 1 + skewed(r, USERS, 2);
        int quantity = 1 + (int) skewed(r, 4, 2);
        BigDecimal price = BigDecimal.valueOf(500 + Math.floorMod(mix(product * 31 + 7), 199_500L), 2);
        BigDecimal amount = price.multiply(BigDecimal.valueOf(quantity));
        if (r.nextDouble() < 0.1) {
            amount = amount.multiply(new BigDecimal("0.95")).setScale(2, RoundingMode.HALF_UP);
        }
        int region = pick(r, REGION_WEIGHTS);
        String[] cities = REGIONS[region];
        String city = cities[1 + r.nextInt(cities.length - 1)];
        double missing = r.nextDouble();
        String regionName = missing < 0.02 ? null : cities[0];
        String cityName = missing < 0.04 ? null : city;
        boolean paid = r.nextDouble() < 0.9;
        boolean completed = paid && r.nextDouble() < 0.92;
        return new OrderAttrs(1_000_000 + k, user, 1000 + product, quantity, price, amount, regionName, cityName,
                paid, completed);
    }

    private String order(long n) {
        long k = n / 3;
        int slot = (int) (n % 3);
        OrderAttrs a = orderAttrs(k);
        boolean repeated = rng(400, k).nextDouble() < faults.repeatShare();
        BigDecimal amount = a.amount();
        String status;
        if (slot == 0) {
            status = "pending";
        } else if (slot == 1) {
            status = a.paid() ? "paid" : repeated ? "cancelled" : "pending";
        } else if (repeated && a.paid()) {
            status = "paid"; // a second paid event of the order, with another amount: a repeat
            amount = amount.add(BigDecimal.ONE);
        } else {
            status = a.completed() ? "completed" : "cancelled";
        }
        long product = a.productId() - 1000;
        StringBuilder sb = new StringBuilder(320);
        sb.append("{\"event_id\":\"o-").append(tag).append('-').append(n).append("\",\"event_time\":");
        time(sb, eventTime(StreamName.ORDERS, n), n);
        sb.append(",\"order_id\":").append(a.orderId())
          .append(",\"user_id\":").append(a.userId())
          .append(",\"product_id\":").append(a.productId())
          .append(",\"product_name\":\"").append(CATEGORIES[(int) (product % CATEGORIES.length)]).append(" item ").append(product).append('"')
          .append(",\"category\":\"").append(CATEGORIES[(int) (product % CATEGORIES.length)]).append('"')
          .append(",\"quantity\":").append(a.quantity())
          .append(",\"price\":").append(a.price().toPlainString())
          .append(",\"amount\":").append(n % 4 == 0 ? "\"" + amount.toPlainString() + "\"" : amount.toPlainString())
          .append(",\"status\":\"").append(status).append('"');
        if (a.region() != null) sb.append(",\"region\":\"").append(a.region()).append('"');
        if (a.city() != null) sb.append(",\"city\":\"").append(a.city()).append('"');
        return sb.append('}').toString();
    }

    private String behavior(long n) {
        long block = n / (JOURNEY_SLOTS * CONCURRENT_JOURNEYS);
        int within = (int) (n % (JOURNEY_SLOTS * CONCURRENT_JOURNEYS));
        int slot = within / CONCURRENT_JOURNEYS;
        long journey = block * CONCURRENT_JOURNEYS + within % CONCURRENT_JOURNEYS;
        SplittableRandom r = rng(200, journey);
        boolean oneOff = r.nextDouble() < 0.08;
        long user = oneOff ? 10_000_000L + journey * JOURNEY_SLOTS + slot : 1 + skewed(r, USERS, 2);
        int depth = pick(r, new double[] {0.45, 0.2, 0.15, 0.08, 0.12});
        String device = DEVICES[pick(r, DEVICE_WEIGHTS)];
        long product = 1000 + skewed(r, PRODUCTS, 3);
        String[] region = REGIONS[pick(r, REGION_WEIGHTS)];
        String type;
        switch (slot) {
            case 0: type = depth == 4 && r.nextDouble() < 0.05 ? "purchase" : "page_view"; break;
            case 1: type = depth >= 1 ? "click" : "page_view"; break;
            case 2: type = depth >= 2 ? "add_to_cart" : "page_view"; break;
            case 4: type = depth >= 3 ? "checkout_start" : "click"; break;
            case 5: type = depth >= 4 ? "purchase" : "page_view"; break;
            case 6: type = "click"; break;
            default: type = "page_view";
        }
        StringBuilder sb = new StringBuilder(300);
        sb.append("{\"event_id\":\"b-").append(tag).append('-').append(n).append("\",\"event_time\":");
        time(sb, eventTime(StreamName.BEHAVIOR, n), n);
        sb.append(",\"user_id\":").append(user)
          .append(",\"event_type\":\"").append(type).append('"')
          .append(",\"session_id\":\"s-").append(tag).append('-').append(journey).append('"')
          .append(",\"product_id\":").append(product)
          .append(",\"page_url\":\"/p/").append(product).append('"');
        if (slot == 0) sb.append(",\"referrer\":\"https://search.example/?q=").append(product).append('"');
        if (journey % 17 != 0) sb.append(",\"device_type\":\"").append(device).append('"');
        sb.append(",\"region\":\"").append(region[0]).append('"');
        return sb.append('}').toString();
    }

    private String payment(long n) {
        long k = n * 2 / 3;
        OrderAttrs a = orderAttrs(k);
        SplittableRandom r = rng(300, n);
        String status = r.nextDouble() < 0.2 ? "failed" : "success";
        StringBuilder sb = new StringBuilder(220);
        sb.append("{\"event_id\":\"p-").append(tag).append('-').append(n).append("\",\"event_time\":");
        time(sb, eventTime(StreamName.PAYMENTS, n), n);
        sb.append(",\"payment_id\":\"pay-").append(tag).append('-').append(n).append('"')
          .append(",\"order_id\":").append(a.orderId())
          .append(",\"user_id\":").append(a.userId())
          .append(",\"amount\":").append(a.amount().toPlainString())
          .append(",\"method\":\"").append(METHODS[pick(r, METHOD_WEIGHTS)]).append('"')
          .append(",\"status\":\"").append(status).append('"');
        return sb.append('}').toString();
    }

    /** One of the bad-input classes of SPEC §1, derived from the record that would have been there. */
    private String malformed(StreamName stream, long n, SplittableRandom r) {
        String good = wellFormed(stream, n);
        switch (r.nextInt(8)) {
            case 0: return good.substring(0, good.length() / 2);
            case 1: return good.replaceFirst("\"event_id\":\"[^\"]*\",", "");
            case 2: return good.replaceFirst("\"user_id\":\\d+", "\"user_id\":\"u" + n + "\"");
            case 3:
                return stream == StreamName.BEHAVIOR
                        ? good.replace(",\"region\":", ",\"device_type\":\"smartwatch\",\"region\":")
                        : good.replace("\"amount\":", "\"amount\":-");
            case 4: return good.replaceFirst("\"(status|event_type)\":\"[a-z_]+\"", "\"$1\":\"shipped\"");
            case 5: return good.replaceFirst("\"event_time\":(\"[^\"]*\"|\\d+)", "\"event_time\":\"yesterday\"");
            case 6: return "<html><body>502 Bad Gateway</body></html>";
            default:
                if (r.nextInt(400) == 0) {
                    return good.substring(0, good.length() - 1) + ",\"blob\":\"" + "x".repeat(1 << 20) + "\"}";
                }
                return good.replaceFirst("\"user_id\":\\d+", "\"user_id\":12.5");
        }
    }

    private SplittableRandom rng(long salt, long n) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L + n));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 0..n-1, heavily skewed towards 0 (popular products and users). */
    private static long skewed(SplittableRandom r, int n, int power) {
        return (long) Math.floor(n * Math.pow(r.nextDouble(), power));
    }

    private static int pick(SplittableRandom r, double[] weights) {
        double roll = r.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
