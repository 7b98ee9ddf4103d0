package dev.pulse.sink;

import dev.pulse.config.PulseOptions;

import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Where the tables live. The URL gets {@code currentSchema} (so statements name tables unqualified) and
 * {@code reWriteBatchedInserts} (one multi-row statement per batch; ~1.5x faster here, safe because
 * {@link UpsertSink} never puts one key twice into a batch). The password is never printed, nor the URL's parameters:
 * messages name the {@link #target()} only.
 */
public final class JdbcSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * pgjdbc logs through java.util.logging, whose default handler writes to the terminal: a refused connection would
     * add driver lines to the one line Pulse prints. Its records go to Pulse's log instead (a strong reference keeps
     * this configuration: JUL holds loggers weakly).
     */
    private static final Logger PGJDBC_LOG = Logger.getLogger("org.postgresql");

    static {
        PGJDBC_LOG.setUseParentHandlers(false);
        PGJDBC_LOG.addHandler(new Handler() {
            private final org.slf4j.Logger log = LoggerFactory.getLogger("org.postgresql");
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) {
                    return;
                }
                String m = format.formatMessage(r);
                // Warnings, not errors: Pulse reports the failure itself; the terminal shows only errors.
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    log.warn(m, r.getThrown());
                } else if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    log.info(m, r.getThrown());
                } else {
                    log.debug(m, r.getThrown());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    public JdbcSettings(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        // An empty password is no password: the driver then reports that the server wants one (08004).
        this.password = password == null || password.isEmpty() ? null : password;
        this.schema = schema;
    }

    public String schema() {
        return schema;
    }

    public String user() {
        return user;
    }

    /** A server message with the password blanked out, should a driver or server ever echo it. */
    String redact(String text) {
        return password == null || text == null ? text : text.replace(password, "***");
    }

    /** host:port/database: what messages print of the URL (its parameters may be long or sensitive). */
    public String target() {
        return PulseOptions.JdbcUrl.target(url);
    }

    String sinkUrl() {
        String sep = url.contains("?") ? "&" : "?";
        return url + sep + "currentSchema=" + schema + "&reWriteBatchedInserts=true";
    }

    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(sinkUrl(), props);
    }

    JdbcConnectionOptions connectionOptions() {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder b = new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(sinkUrl())
                .withDriverName("org.postgresql.Driver")
                .withUsername(user)
                .withConnectionCheckTimeoutSeconds(30);
        if (password != null) {
            b.withPassword(password);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return target() + " (user " + user + ", schema " + schema + ")";
    }
}
