package dev.pulse.active;

import dev.pulse.window.WindowRow;

/** One row of {@code active_users}; primary key (grain, window_start, event_type). */
public class ActiveUsersRow extends WindowRow {
    public String grain;
    /** An event type, or {@code *} for any. */
    public String eventType;
    public long users;
    public long events;

    public ActiveUsersRow() {}
}
