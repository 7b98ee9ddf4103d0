package dev.pulse.source;

import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.RecordText;
import dev.pulse.events.StreamName;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads one JSONL file of one stream and parses each line into an {@link Envelope} whose source is
 * {@code path:line}. Not splittable, so line numbers are exact; on restore Flink re-reads and skips what
 * was already emitted, and the line count follows. Lines over 1 MiB are cut at the limit while reading
 * (the rest is skipped, not buffered) and become dead letters. Only a line of JSON whitespace (space, tab, CR)
 * holds no record and is skipped; any other line, even one of form feeds or U+2003, is a record.
 */
public class JsonLinesFormat implements StreamFormat<Envelope> {
    private static final long serialVersionUID = 1L;

    private final StreamName stream;
    private final String fileLabel;
    private final EventParser parser;

    public JsonLinesFormat(StreamName stream, String fileLabel, EventParser parser) {
        this.stream = stream;
        this.fileLabel = fileLabel;
        this.parser = parser;
    }

    @Override
    public Reader<Envelope> createReader(Configuration config, FSDataInputStream in, long fileLen, long splitEnd) {
        return new LineReader(in);
    }

    @Override
    public Reader<Envelope> restoreReader(Configuration config, FSDataInputStream in, long restoredOffset,
                                          long fileLen, long splitEnd) throws IOException {
        in.seek(0); // positions are restored by skipping records; line numbers need the whole file
        return new LineReader(in);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }

    private final class LineReader implements Reader<Envelope> {
        private final InputStream in;
        private final byte[] chunk = new byte[64 * 1024];
        private int pos;
        private int limit;
        private byte[] line = new byte[4096];
        private long lineNumber;

        LineReader(InputStream in) {
            this.in = in;
        }

        @Override
        public Envelope read() throws IOException {
            while (true) {
                int kept = 0;
                long total = 0;
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
                    int room = EventParser.MAX_RECORD_BYTES + 1 - kept;
                    int copy = Math.min(n, Math.max(room, 0));
                    if (copy > 0) {
                        if (kept + copy > line.length) {
                            line = Arrays.copyOf(line, Math.max(kept + copy, line.length * 2));
                        }
                        System.arraycopy(chunk, start, line, kept, copy);
                        kept += copy;
                    }
                    total += n;
                    if (pos < limit) {
                        pos++; // the newline
                        break;
                    }
                }
                if (!sawAny) {
                    return null;
                }
                lineNumber++;
                if (kept > 0 && line[kept - 1] == '\r') {
                    kept--;
                    total--;
                }
                String source = fileLabel + ":" + lineNumber;
                if (total > EventParser.MAX_RECORD_BYTES) {
                    return EventParser.tooLarge(stream, line, 0, kept, total, source);
                }
                if (!RecordText.isJsonBlank(line, 0, kept)) {
                    return parser.parse(stream, line, 0, kept, source);
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
