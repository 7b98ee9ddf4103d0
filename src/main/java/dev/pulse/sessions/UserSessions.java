package dev.pulse.sessions;

import java.util.ArrayList;
import java.util.List;

/**
 * All sessions of one user that can still change: usually one, two when a late event is about to bridge them. One
 * value per user (a handful of numbers per session), read and written once per event on either state backend.
 */
public class UserSessions {
    public List<OpenSession> sessions = new ArrayList<>(1);
    /** The event-time timer pending for this user, {@link SessionAccumulator#NONE} when none is. */
    public long timerAt = SessionAccumulator.NONE;

    public UserSessions() {}
}
