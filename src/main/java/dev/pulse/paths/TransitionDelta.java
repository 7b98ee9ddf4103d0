package dev.pulse.paths;

/** One transition added (+1) or taken back (-1), in the hour of its first event, with its gap (signed alike). */
public class TransitionDelta {
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
}
