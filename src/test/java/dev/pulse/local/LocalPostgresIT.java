package dev.pulse.local;

import dev.pulse.config.UsageException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded PostgreSQL of bin/pulse started in this JVM: pid files left behind, the home lock. */
class LocalPostgresIT {

    /** Starts, writes a row, stops, and returns the postmaster.pid it had while running. */
    private static List<String> runOnceAndKeepPidFile(Path home) throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(home);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.ROLE, "")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS kept (n int); INSERT INTO kept VALUES (1)");
            return Files.readAllLines(home.resolve("pgdata/postmaster.pid"));
        }
    }

    private static long keptRows(LocalPostgres pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.ROLE, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM kept")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void writePidFile(Path home, List<String> lines, long pid) throws Exception {
        List<String> stale = new ArrayList<>(lines);
        stale.set(0, Long.toString(pid));
        Files.write(home.resolve("pgdata/postmaster.pid"), stale);
    }

    @Test
    void aPidFileWhoseProcessIsGoneIsLeftToPostgresWhichStartsAnyway(@TempDir Path home) throws Exception {
        List<String> pidFile = runOnceAndKeepPidFile(home);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writePidFile(home, pidFile, gone.pid());

        try (LocalPostgres pg = LocalPostgres.start(home)) {
            assertThat(keptRows(pg)).isEqualTo(1);
        }
    }

    @Test
    void aPidFileNamingAProcessThatIsNoPostgresIsStaleAndRemoved(@TempDir Path home) throws Exception {
        List<String> pidFile = runOnceAndKeepPidFile(home);
        writePidFile(home, pidFile, ProcessHandle.current().pid()); // alive, but a java, not a postmaster

        try (LocalPostgres pg = LocalPostgres.start(home)) {
            assertThat(keptRows(pg)).isEqualTo(1);
        }
    }

    @Test
    void aSecondStartOnTheSameHomeIsRefusedWhileTheFirstRuns(@TempDir Path home) throws Exception {
        try (LocalPostgres first = LocalPostgres.start(home)) {
            assertThatThrownBy(() -> LocalPostgres.start(home)).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("another bin/pulse is running with PULSE_HOME " + home.toAbsolutePath());
        }
        LocalPostgres.start(home).close(); // the lock goes with the first
    }
}
