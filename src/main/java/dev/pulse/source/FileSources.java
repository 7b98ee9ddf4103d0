package dev.pulse.source;

import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;

import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;

/**
 * Bounded sources over a replay folder: one {@link FileSource} per stream file. The enumerator lists the
 * folder and keeps only that stream's file, so a missing file is simply an empty stream.
 */
public final class FileSources {
    private FileSources() {}

    public static FileSource<Envelope> of(java.nio.file.Path folder, StreamName stream, EventParser parser) {
        java.nio.file.Path dir = folder.toAbsolutePath().normalize();
        String root = dir.toString();
        String file = dir.resolve(stream.fileName()).toString();
        return FileSource.forRecordStreamFormat(new JsonLinesFormat(stream, file, parser), new Path(dir.toUri()))
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(p -> {
                    String path = p.toUri().getPath();
                    String bare = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
                    return bare.equals(root) || bare.equals(file);
                }))
                .build();
    }
}
