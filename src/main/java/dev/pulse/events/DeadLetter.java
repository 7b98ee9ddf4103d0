package dev.pulse.events;

/** A row of {@code dead_letters}: a record that could not be used, why, and where it came from. */
public class DeadLetter {
    public String stream;
    public String reason;
    public String payload;
    public String source;

    public DeadLetter() {}

    public DeadLetter(String stream, String reason, String payload, String source) {
        this.stream = stream;
        this.reason = reason;
        this.payload = payload;
        this.source = source;
    }

    public static DeadLetter of(Envelope bad) {
        return new DeadLetter(bad.stream, bad.error, bad.rawPayload, bad.source);
    }
}
