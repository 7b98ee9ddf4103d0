package dev.pulse.source;

import dev.pulse.events.EventParser;
import dev.pulse.events.RecordText;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a JSONL byte stream into lines the way every Pulse reader must, so that a line's number (its
 * {@code file:line}) and bytes are the same for the files source and for {@code bin/pulse-produce}: a line ends
 * at LF only, one CR before it is dropped, and no more than 1 MiB + 1 byte of a line is kept (the rest is
 * counted, not buffered), which is enough to call it too large.
 */
public final class JsonLineSplitter {
    private final InputStream in;
    private final byte[] chunk = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[4096];
    private int kept;
    private long size;
    private long lineNumber;

    public JsonLineSplitter(InputStream in) {
        this.in = in;
    }

    /** Moves to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        kept = 0;
        size = 0;
        boolean sawAny = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(chunk, 0, chunk.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    break;
                }
            }
            sawAny = true;
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            int copy = Math.min(n, Math.max(EventParser.MAX_RECORD_BYTES + 1 - kept, 0));
            if (copy > 0) {
                if (kept + copy > line.length) {
                    line = Arrays.copyOf(line, Math.max(kept + copy, line.length * 2));
                }
                System.arraycopy(chunk, start, line, kept, copy);
                kept += copy;
            }
            size += n;
            if (pos < limit) {
                pos++; // the newline
                break;
            }
        }
        if (!sawAny) {
            return false;
        }
        lineNumber++;
        if (kept > 0 && line[kept - 1] == '\r') {
            kept--;
            size--;
        }
        return true;
    }

    /** The kept bytes of the line: {@code bytes()[0 .. length())}. */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return kept;
    }

    /** The whole line's size in bytes, also when only its first part was kept. */
    public long size() {
        return size;
    }

    /** 1-based. */
    public long lineNumber() {
        return lineNumber;
    }

    public boolean isTooLarge() {
        return size > EventParser.MAX_RECORD_BYTES;
    }

    /** JSON whitespace only: no record. */
    public boolean isBlank() {
        return RecordText.isJsonBlank(line, 0, kept);
    }
}
