package dev.pulse.events;

/** Fields every input event has (SPEC §1). Subclasses are Flink POJOs: public fields, no-arg constructor. */
public abstract class Event {
    /** Unique per event; a re-delivery carries the same id and counts once. */
    public String eventId;
    /** Event time, epoch milliseconds UTC. */
    public long eventTime;

    public String getEventId() {
        return eventId;
    }
}
