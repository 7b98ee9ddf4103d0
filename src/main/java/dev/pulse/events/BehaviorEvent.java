package dev.pulse.events;

/** A user behaviour event from the {@code user-behavior} stream. */
public class BehaviorEvent extends Event {
    public static final String PAGE_VIEW = "page_view";
    public static final String CLICK = "click";
    public static final String ADD_TO_CART = "add_to_cart";
    public static final String CHECKOUT_START = "checkout_start";
    public static final String PURCHASE = "purchase";
    /** Every event type, in a fixed order (state stores a type as its index here). */
    public static final java.util.List<String> EVENT_TYPES = java.util.List.of(PAGE_VIEW, CLICK, ADD_TO_CART,
            CHECKOUT_START, PURCHASE);

    public long userId;
    public String eventType;
    /** The client's own session id; may be null. */
    public String sessionId;
    /** May be null. */
    public Long productId;
    public String pageUrl;
    public String referrer;
    /** {@code other} when absent. */
    public String deviceType;
    /** {@code unknown} when absent. */
    public String region;

    public BehaviorEvent() {}
}
