package dev.pulse.events;

/** A row of {@code late_events}: a valid event that arrived after its windows' allowed lateness. */
public class LateEvent {
    public String stream;
    public String eventId;
    public long eventTime;
    /** The event as JSON (normalised: snake_case fields, ISO event_time). */
    public String payload;
    /** The watermark that made it late, epoch ms. */
    public long watermark;

    public LateEvent() {}

    public LateEvent(String stream, String eventId, long eventTime, String payload, long watermark) {
        this.stream = stream;
        this.eventId = eventId;
        this.eventTime = eventTime;
        this.payload = payload;
        this.watermark = watermark;
    }
}
