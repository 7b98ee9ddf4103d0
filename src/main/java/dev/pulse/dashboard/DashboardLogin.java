package dev.pulse.dashboard;

import dev.pulse.sink.JdbcSettings;
import dev.pulse.sink.ReaderRole;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * How the dashboard connects: as {@value ReaderRole#NAME} when that role can log in, else (a local run only, see
 * {@link #preferReader}) as the job's user in a read-only session that, when the job's role is a member of
 * {@value ReaderRole#NAME}, also takes that role ({@code SET ROLE}). Either way the page reads only through
 * {@code pulse_dashboard()} and every transaction of its sessions is read-only. Passwords come from the caller's
 * environment and appear in no message ({@link JdbcSettings} prints host:port/database only).
 */
public final class DashboardLogin {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardLogin.class);
    /** Login refused for the reader: no such role, NOLOGIN, wrong or missing password. The fallback then applies. */
    private static final Set<String> LOGIN_REFUSED = Set.of("28000", "28P01", "08004");
    public static final String APPLICATION_NAME = "pulse-dashboard";

    private final JdbcSettings primary;
    private final JdbcSettings fallback;
    private volatile JdbcSettings chosen;

    private DashboardLogin(JdbcSettings primary, JdbcSettings fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    /** Exactly this user (bin/pulse-dashboard): no fallback. */
    public static DashboardLogin as(String url, String user, String password, String schema) {
        return new DashboardLogin(new JdbcSettings(withAppName(url), user, password, schema), null);
    }

    /**
     * bin/pulse: {@value ReaderRole#NAME} with {@code readerPassword} (the embedded database trusts local connections,
     * so any works there once the role may log in); when the server refuses that login, the job's own user.
     */
    public static DashboardLogin preferReader(String url, String schema, String readerPassword, String jobUser,
                                              String jobPassword) {
        return new DashboardLogin(new JdbcSettings(withAppName(url), ReaderRole.NAME, readerPassword, schema),
                new JdbcSettings(withAppName(url), jobUser, jobPassword, schema));
    }

    private static String withAppName(String url) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION_NAME;
    }

    public String schema() {
        return primary.schema();
    }

    /** Who the page reads as, for the page's footer and the log: a user name and the session's kind, no secret. */
    public String describe() {
        JdbcSettings s = chosen;
        if (s == null) {
            return "not connected yet";
        }
        return s.user() + (s.user().equals(ReaderRole.NAME) ? " (read-only role)" : " (read-only session)");
    }

    public String target() {
        return primary.target();
    }

    /** A new read-only connection. */
    public Connection open() throws SQLException {
        JdbcSettings s = chosen;
        if (s != null) {
            return prepare(s.connect(), s);
        }
        try {
            Connection c = prepare(primary.connect(), primary);
            chosen = primary;
            return c;
        } catch (SQLException e) {
            if (fallback == null || !LOGIN_REFUSED.contains(e.getSQLState())) {
                throw e;
            }
            LOG.info("dashboard: role {} cannot log in ({}); reading as {} in a read-only session instead (set {} "
                    + "for the role to log in)", ReaderRole.NAME, firstLine(e), fallback.user(), ReaderRole.PASSWORD_ENV);
            Connection c = prepare(fallback.connect(), fallback);
            chosen = fallback;
            return c;
        }
    }

    private static Connection prepare(Connection c, JdbcSettings s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            if (!s.user().equals(ReaderRole.NAME)) {
                try (ResultSet rs = st.executeQuery("SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
                        + ReaderRole.NAME + "') THEN pg_has_role('" + ReaderRole.NAME + "', 'MEMBER') ELSE false END")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        st.execute("SET ROLE " + c.unwrap(PGConnection.class).escapeIdentifier(ReaderRole.NAME));
                    }
                }
            }
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.split("\\R")[0];
    }
}
