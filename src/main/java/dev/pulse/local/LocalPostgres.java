package dev.pulse.local;

import dev.pulse.config.UsageException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL that {@code bin/pulse} starts itself when no {@code --jdbc-url} is given: real PostgreSQL 15
 * binaries from Maven, extracted under {@code java.io.tmpdir} (the launcher points it into its own folder),
 * data kept between runs under {@code <home>/pgdata}. It has a login role and a database named {@code pulse}
 * with local trust authentication: it listens on localhost only.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final int PREFERRED_PORT = 54329;
    public static final String DATABASE = "pulse";
    public static final String ROLE = "pulse";

    static final String SERVER_LOG = "postgres.log";

    private final EmbeddedPostgres server;
    private final HomeLock lock;

    private LocalPostgres(EmbeddedPostgres server, HomeLock lock) {
        this.server = server;
        this.lock = lock;
    }

    /**
     * Starts the server on {@code <home>/pgdata}, first taking {@link HomeLock} (a second {@code bin/pulse} on the
     * same home is refused) and stopping an {@link OrphanPostmaster} a crashed run left on that data directory.
     */
    public static LocalPostgres start(Path home) throws UsageException {
        Path dataDir = home.resolve("pgdata");
        HomeLock lock;
        try {
            lock = HomeLock.acquire(home);
        } catch (IOException e) {
            throw new UsageException("cannot create the lock file in PULSE_HOME " + home.toAbsolutePath() + " ("
                    + e.getMessage() + "); give a writable folder: PULSE_HOME=/path/to/dir bin/pulse ...");
        }
        // The server's own output (start-up errors included) goes to a file: it names the real cause when the
        // start fails, and a server that outlives a crashed JVM keeps a log instead of a broken pipe.
        Path serverLog = home.resolve(SERVER_LOG);
        long logStart = 0;
        EmbeddedPostgres server = null;
        try {
            Files.write(serverLog, new byte[0]);
            OrphanPostmaster.stopIfRunning(dataDir);
            logStart = Files.size(serverLog);
            LoggerFactory.getLogger(LocalPostgres.class).info("PostgreSQL server log: {}", serverLog.toAbsolutePath());
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(freePort(PREFERRED_PORT))
                    .setServerConfig("listen_addresses", "localhost")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .start();
            LocalPostgres pg = new LocalPostgres(server, lock);
            pg.ensureRoleAndDatabase();
            return pg;
        } catch (IOException | SQLException | RuntimeException e) {
            if (server != null) {
                closeQuietly(server);
            }
            closeQuietly(lock);
            LoggerFactory.getLogger(LocalPostgres.class).warn("embedded PostgreSQL did not start", e);
            throw new UsageException(StartFailure.describe(dataDir, serverLog, serverOutput(serverLog, logStart), e,
                    StartFailure.rootWithoutUserNamespaces()));
        }
    }

    private static String serverOutput(Path serverLog, long from) {
        try {
            byte[] all = Files.readAllBytes(serverLog);
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // failing anyway
        }
    }

    /**
     * bin/local-cluster's server: started on {@code <dir>/pgdata} at {@code port} and left running after this JVM
     * exits (no shutdown hook); {@code bin/local-cluster stop} stops it.
     */
    static void startDetached(Path dir, int port, Path serverLog) throws IOException, SQLException {
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pgdata"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                .start();
        ensureRoleAndDatabase(server);
    }

    /** The first line of the innermost cause, for a one-line terminal message. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.split("\\R")[0];
    }

    private void ensureRoleAndDatabase() throws SQLException {
        ensureRoleAndDatabase(server);
    }

    private static void ensureRoleAndDatabase(EmbeddedPostgres server) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE ROLE " + ROLE + " LOGIN");
                }
            }
            // So that the job creates the read-only role pulse_reader (ReaderRole); also for a data folder made before.
            st.execute("ALTER ROLE " + ROLE + " CREATEROLE");
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
                }
            }
        }
    }

    public int port() {
        return server.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String psqlCommand() {
        return "psql -h localhost -p " + port() + " -U " + ROLE + " " + DATABASE;
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            lock.close();
        }
    }

    private static int freePort(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket(preferred)) {
            s.setReuseAddress(true);
            return preferred;
        } catch (IOException busy) {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }
}
