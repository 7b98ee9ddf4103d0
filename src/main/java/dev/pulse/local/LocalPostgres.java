package dev.pulse.local;

import dev.pulse.config.UsageException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

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

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    public static LocalPostgres start(Path home) throws UsageException {
        Path dataDir = home.resolve("pgdata");
        try {
            Files.createDirectories(home);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(freePort(PREFERRED_PORT))
                    .setServerConfig("listen_addresses", "localhost")
                    .start();
            LocalPostgres pg = new LocalPostgres(server);
            pg.ensureRoleAndDatabase();
            return pg;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new UsageException("embedded PostgreSQL did not start under " + dataDir + " (" + firstLine(e)
                    + "); as root it needs user namespaces (sysctl kernel.unprivileged_userns_clone=1), or run as a"
                    + " normal user, or pass --jdbc-url of a running PostgreSQL");
        }
    }

    private void ensureRoleAndDatabase() throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE ROLE " + ROLE + " LOGIN");
                }
            }
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
        server.close();
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

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.toString() : root.getMessage();
        return m.split("\\R")[0];
    }
}
