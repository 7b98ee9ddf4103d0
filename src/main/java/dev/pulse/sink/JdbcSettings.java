package dev.pulse.sink;

import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the tables live. The URL gets {@code currentSchema} (so statements name tables unqualified) and
 * {@code reWriteBatchedInserts} (one multi-row statement per batch; ~1.5x faster here, safe because
 * {@link UpsertSink} never puts one key twice into a batch). The password is never printed.
 */
public final class JdbcSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    public JdbcSettings(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    public String schema() {
        return schema;
    }

    public String user() {
        return user;
    }

    /** The URL as given, for messages. */
    public String url() {
        return url;
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
        return url + " (user " + user + ", schema " + schema + ")";
    }
}
