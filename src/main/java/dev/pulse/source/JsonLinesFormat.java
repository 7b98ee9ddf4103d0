package dev.pulse.source;

import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;
import java.io.InputStream;

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
        private final JsonLineSplitter lines;

        LineReader(InputStream in) {
            this.in = in;
            this.lines = new JsonLineSplitter(in);
        }

        @Override
        public Envelope read() throws IOException {
            while (lines.next()) {
                String source = fileLabel + ":" + lines.lineNumber();
                if (lines.isTooLarge()) {
                    return EventParser.tooLarge(stream, lines.bytes(), 0, lines.length(), lines.size(), source);
                }
                if (!lines.isBlank()) {
                    return parser.parse(stream, lines.bytes(), 0, lines.length(), source);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
