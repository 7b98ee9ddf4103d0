package dev.pulse.local;

import dev.pulse.config.UsageException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code bin/pulse} per {@code PULSE_HOME}: an exclusive lock on {@code <home>/pulse.lock}, held while the
 * embedded PostgreSQL runs. The operating system frees it when the JVM dies, even on {@code kill -9}, so a free
 * lock with a live postmaster in {@code pgdata} means an orphan of a crashed run, never a running {@code bin/pulse}.
 * No logging here: log4j truncates {@code pulse.log} when it starts, and a refused second run must not wipe the
 * log of the first.
 */
public final class HomeLock implements AutoCloseable {
    static final String FILE_NAME = "pulse.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static HomeLock acquire(Path home) throws UsageException, IOException {
        Files.createDirectories(home);
        Path file = home.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new UsageException("another bin/pulse is running with PULSE_HOME " + home.toAbsolutePath()
                    + " (its embedded PostgreSQL and data); stop it first, or give this run its own folder: "
                    + "PULSE_HOME=/path/to/other bin/pulse ...");
        }
        return new HomeLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
