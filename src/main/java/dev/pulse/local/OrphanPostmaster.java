package dev.pulse.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The embedded PostgreSQL left running when the JVM of {@code bin/pulse} died without its shutdown hooks
 * ({@code kill -9}, the OOM killer). Its postmaster keeps {@code pgdata/postmaster.pid} and the port, so a new
 * server refuses to start on that data directory. Called only while {@link HomeLock} is held, i.e. when no live
 * {@code bin/pulse} owns that postmaster: it is stopped the way PostgreSQL documents (SIGINT, fast shutdown: clean,
 * data kept), escalating to SIGQUIT (immediate; crash recovery at next start) and SIGKILL if it does not go.
 * A pid file whose process is gone is left to PostgreSQL, which removes it itself at start.
 */
final class OrphanPostmaster {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanPostmaster.class);
    static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(30);
    static final Duration IMMEDIATE_SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private OrphanPostmaster() {}

    /**
     * Stops the postmaster that {@code dataDir/postmaster.pid} names when it is a live postgres serving dataDir.
     * When the pid now belongs to another program (pids are reused, after a reboot or in a restarted container)
     * the file is stale and is removed: PostgreSQL would otherwise refuse to start while that pid lives.
     */
    static void stopIfRunning(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException unreadable) {
            return; // half-written or garbage: PostgreSQL judges it at start
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(OrphanPostmaster::running);
        if (process.isEmpty()) {
            return; // a crashed postmaster's pid file: PostgreSQL removes it itself
        }
        Optional<String> command = process.get().info().command();
        if (command.isPresent() && !isPostgres(command.get())) {
            LOG.warn("{} names pid {}, now {}: stale, removed", pidFile, pid, command.get());
            Files.deleteIfExists(pidFile);
        } else if (servesDataDir(pid, dataDir)) {
            stop(process.get(), dataDir);
        }
        // else a postgres we cannot verify (not readable): not ours to signal; PostgreSQL's own start check reports it
    }

    private static void stop(ProcessHandle postmaster, Path dataDir) throws IOException {
        // Its server processes must be gone too before a new postmaster may attach to the data directory.
        List<ProcessHandle> children = postmaster.descendants().collect(Collectors.toList());
        LOG.warn("PostgreSQL (pid {}) of a crashed bin/pulse still runs on {}: stopping it (fast shutdown)",
                postmaster.pid(), dataDir);
        if (!signalAndWait(postmaster, "INT", FAST_SHUTDOWN_WAIT)
                && !signalAndWait(postmaster, "QUIT", IMMEDIATE_SHUTDOWN_WAIT)) {
            postmaster.destroyForcibly();
            waitForExit(postmaster, IMMEDIATE_SHUTDOWN_WAIT);
        }
        for (ProcessHandle child : children) {
            waitForExit(child, IMMEDIATE_SHUTDOWN_WAIT);
        }
        if (running(postmaster)) {
            throw new IOException("the PostgreSQL of a crashed run (pid " + postmaster.pid() + ") on " + dataDir
                    + " does not stop; kill it, then start again");
        }
        LOG.info("PostgreSQL of the crashed run stopped");
    }

    private static boolean isPostgres(String command) {
        return Path.of(command).getFileName().toString().equals("postgres");
    }

    /**
     * Before anything is signalled the pid must really be a {@code postgres} whose working directory (a postmaster
     * changes into its data directory) is dataDir.
     */
    private static boolean servesDataDir(long pid, Path dataDir) throws IOException {
        Optional<String> command = ProcessHandle.of(pid).flatMap(p -> p.info().command());
        if (command.isEmpty() || !isPostgres(command.get())) {
            return false;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).equals(dataDir.toRealPath());
        } catch (IOException | UnsupportedOperationException | SecurityException notOurs) {
            return false; // not readable, so not ours to signal; PostgreSQL's own start check then reports it
        }
    }

    private static boolean signalAndWait(ProcessHandle process, String signal, Duration wait) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL pid " + process.pid(), e);
        }
        return waitForExit(process, wait);
    }

    /** Polls: the postmaster is not our child, and a zombie (exited, not yet reaped by init) counts as gone. */
    private static boolean waitForExit(ProcessHandle process, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (running(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(process);
            }
        }
        return true;
    }

    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException gone) {
            return process.isAlive();
        }
    }
}
