package dev.pulse.active;

/** One event's contribution to one active_users row: one more event, and one more user when it is the user's first. */
public class ActiveDelta {
    /** Index into {@link ActiveUsers#GRAINS}. */
    public int grain;
    public long windowStart;
    public String eventType;
    public long users;

    public ActiveDelta() {}

    ActiveDelta(int grain, long windowStart, String eventType, long users) {
        this.grain = grain;
        this.windowStart = windowStart;
        this.eventType = eventType;
        this.users = users;
    }
}
