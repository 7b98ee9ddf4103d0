package dev.pulse.sessions;

/** A session of one user that can still change: its running state and whether its last report said "open". */
public class OpenSession extends SessionAccumulator {
    /** The version last reported downstream was reported before the watermark passed the session's end. */
    public boolean reportedOpen;

    public OpenSession() {}
}
