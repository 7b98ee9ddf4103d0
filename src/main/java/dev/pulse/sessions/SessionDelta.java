package dev.pulse.sessions;

import dev.pulse.window.RowDelta;

/** A signed change to one (hour, device) row of session_funnel: +1 adds a session version, -1 takes one back. */
public class SessionDelta implements RowDelta<SessionDelta> {
    public long hourStart;
    public String device;
    public int sign;
    public long bounced;
    public long reachedView;
    public long reachedCart;
    public long reachedCheckout;
    public long reachedPurchase;
    public long durationMs;
    public long events;
    /** +1 / -1 when the version added / taken back was reported while its session was still open, else 0. */
    public int open;
    /** Time of the session's last event: the session can still change until the watermark passes it + gap. */
    public long sessionLast;

    public SessionDelta() {}

    @Override
    public Object rowKey() {
        return new Key(hourStart, device);
    }

    /** Sums every count; {@code sessionLast} is the latest, which is what the row's close point depends on. */
    @Override
    public void absorb(SessionDelta other) {
        sign += other.sign;
        bounced += other.bounced;
        reachedView += other.reachedView;
        reachedCart += other.reachedCart;
        reachedCheckout += other.reachedCheckout;
        reachedPurchase += other.reachedPurchase;
        durationMs += other.durationMs;
        events += other.events;
        open += other.open;
        sessionLast = Math.max(sessionLast, other.sessionLast);
    }

    private record Key(long hourStart, String device) {}

    static long hourOf(long time) {
        return time - Math.floorMod(time, 3_600_000L);
    }

    /** One row's change from {@code before} to {@code after}, two versions of a session starting in the same hour. */
    static SessionDelta change(SessionSummary before, SessionSummary after, String device) {
        SessionDelta d = of(after, device, +1);
        d.absorb(of(before, device, -1));
        return d;
    }

    static SessionDelta of(SessionSummary s, String device, int sign) {
        SessionDelta d = new SessionDelta();
        d.hourStart = hourOf(s.start);
        d.device = device;
        d.sign = sign;
        d.bounced = s.events == 1 ? sign : 0;
        d.reachedView = s.reachedView ? sign : 0;
        d.reachedCart = s.reachedCart ? sign : 0;
        d.reachedCheckout = s.reachedCheckout ? sign : 0;
        d.reachedPurchase = s.reachedPurchase ? sign : 0;
        d.durationMs = sign * (s.last - s.start);
        d.events = sign * s.events;
        d.sessionLast = s.last;
        d.open = s.open ? sign : 0;
        return d;
    }
}
