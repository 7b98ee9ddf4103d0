package dev.pulse.active;

import dev.pulse.window.RowDelta;

/**
 * A change to one active_users row: {@code events} more events, {@code users} more users (an event adds one event,
 * and one user when it is the user's first of that type in the window).
 */
public class ActiveDelta implements RowDelta<ActiveDelta> {
    /** Index into {@link ActiveUsers#GRAINS}. */
    public int grain;
    public long windowStart;
    public String eventType;
    public long users;
    public long events;

    public ActiveDelta() {}

    ActiveDelta(int grain, long windowStart, String eventType, long users) {
        this.grain = grain;
        this.windowStart = windowStart;
        this.eventType = eventType;
        this.users = users;
        this.events = 1;
    }

    @Override
    public Object rowKey() {
        return new Key(grain, windowStart, eventType);
    }

    @Override
    public void absorb(ActiveDelta other) {
        users += other.users;
        events += other.events;
    }

    private record Key(int grain, long windowStart, String eventType) {}
}
