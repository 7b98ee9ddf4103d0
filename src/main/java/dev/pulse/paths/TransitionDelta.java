package dev.pulse.paths;

import dev.pulse.window.RowDelta;

/** One transition added (+1) or taken back (-1), in the hour of its first event, with its gap (signed alike). */
public class TransitionDelta implements RowDelta<TransitionDelta> {
    public long hourStart;
    public String fromEvent;
    public String toEvent;
    public int count;
    public long gapMs;

    public TransitionDelta() {}

    TransitionDelta(long hourStart, String fromEvent, String toEvent, int count, long gapMs) {
        this.hourStart = hourStart;
        this.fromEvent = fromEvent;
        this.toEvent = toEvent;
        this.count = count;
        this.gapMs = gapMs;
    }

    @Override
    public Object rowKey() {
        return new Key(hourStart, fromEvent, toEvent);
    }

    @Override
    public void absorb(TransitionDelta other) {
        count += other.count;
        gapMs += other.gapMs;
    }

    private record Key(long hourStart, String fromEvent, String toEvent) {}
}
