package dev.pulse.sql;

import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The job's own parser ({@link EventParser}) for SQL: a line is read exactly as the job reads it, so a line the job
 * makes a dead letter is NULL here (and the scripts drop it), and a valid line has the job's typed values. The last
 * line is remembered, so the event-time column and the row of one line parse it once.
 */
final class PulseEvents {
    /** Decimal fields hold at most 18 digits before and after the point (SPEC §1): DECIMAL(36, 18) holds them all. */
    static final int PRECISION = 36;
    static final int SCALE = 18;

    private final EventParser parser;
    private String lastLine;
    private StreamName lastStream;
    private Envelope last;

    PulseEvents(Duration maxFuture) {
        this.parser = new EventParser(maxFuture);
    }

    /** The parsed line, or null when the job would make it a dead letter (or the line is blank: no record). */
    Envelope parse(StreamName stream, String line) {
        if (line == null || line.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
            return null;
        }
        if (stream == lastStream && line.equals(lastLine)) {
            return last;
        }
        Envelope e = parser.parse(stream, line, "sql");
        lastStream = stream;
        lastLine = line;
        last = e.isValid() ? e : null;
        return last;
    }

    static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    static BigDecimal decimal(BigDecimal v) {
        return v == null ? null : v.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    static StreamName stream(String name) {
        for (StreamName s : StreamName.values()) {
            if (s.label().equals(name) || s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stream '" + name + "' (expected orders, behavior or payments)");
    }
}
