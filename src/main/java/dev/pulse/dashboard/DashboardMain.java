package dev.pulse.dashboard;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.UsageException;
import dev.pulse.sink.ReaderRole;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * {@code bin/pulse-dashboard}: the live page of {@code bin/pulse} for any PostgreSQL a Pulse job writes to (a job on
 * a cluster). Reads only through {@code pulse_dashboard()} of {@code --schema}. The password comes only from the
 * environment: {@value ReaderRole#PASSWORD_ENV} for user {@value ReaderRole#NAME} (the default), else
 * {@value PulseOptions#PASSWORD_ENV}; every session is read-only either way. Exit 2 with one line for a start-up
 * mistake (an option, a busy port, a database that refuses or lacks the function); runs until stopped.
 */
public final class DashboardMain {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    static final List<String> OPTIONS = List.of("jdbc-url", "jdbc-user", "schema", "port", "bind");

    private DashboardMain() {}

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        DashboardServer[] started = new DashboardServer[1];
        int code = start(args, System.getenv(), System.out, System.err, started);
        if (code != 0) {
            System.exit(code);
        }
        if (started[0] == null) {
            return; // --help
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("pulse-dashboard: stopped");
            started[0].close();
            stop.countDown();
        }, "pulse-dashboard-stop"));
        stop.await();
    }

    static String usage() {
        return "usage: bin/pulse-dashboard --jdbc-url jdbc:postgresql://host:5432/db [--jdbc-user pulse_reader] "
                + "[--schema public] [--port 8088] [--bind 127.0.0.1]\n"
                + "  password: " + ReaderRole.PASSWORD_ENV + " for " + ReaderRole.NAME + ", else " + PulseOptions.PASSWORD_ENV;
    }

    /** Parses, checks the database, binds and starts; {@code started[0]} is the running server on 0. */
    static int start(String[] args, Map<String, String> env, PrintStream out, PrintStream err, DashboardServer[] started) {
        try {
            Map<String, String> o = parse(args);
            if (o.containsKey("help")) {
                out.println(usage());
                return 0;
            }
            String url = o.get("jdbc-url");
            if (url == null) {
                throw new UsageException("--jdbc-url: required; give jdbc:postgresql://host:5432/db (the database a "
                        + "Pulse job writes to)");
            }
            try {
                PulseOptions.JdbcUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--jdbc-url: " + e.getMessage());
            }
            String user = o.getOrDefault("jdbc-user", ReaderRole.NAME);
            String schema = o.getOrDefault("schema", "public");
            if (!IDENTIFIER.matcher(schema).matches()) {
                throw new UsageException("--schema: '" + schema + "' is not a plain lower-case SQL identifier; give the "
                        + "job's --schema");
            }
            int port = port(o.getOrDefault("port", String.valueOf(DashboardServer.DEFAULT_PORT)));
            InetAddress bind;
            try {
                bind = InetAddress.getByName(o.getOrDefault("bind", "127.0.0.1"));
            } catch (UnknownHostException e) {
                throw new UsageException("--bind: '" + o.get("bind") + "' is not an address of this machine; give "
                        + "127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
            }
            String envName = user.equals(ReaderRole.NAME) ? ReaderRole.PASSWORD_ENV : PulseOptions.PASSWORD_ENV;
            String password = env.get(envName);
            DashboardLogin login = DashboardLogin.as(url, user, password == null || password.isEmpty() ? null : password,
                    schema);
            check(login, envName);
            DashboardServer server;
            try {
                server = DashboardServer.bind(bind, port);
            } catch (BindException busy) {
                throw new UsageException("--port: port " + port + " on " + bind.getHostAddress() + " is in use; give a "
                        + "free one (e.g. --port " + (port < 65535 ? port + 1 : 8089) + ")");
            } catch (IOException e) {
                throw new UsageException("--bind: cannot serve on " + bind.getHostAddress() + ":" + port + " ("
                        + e.getMessage() + "); give an address of this machine");
            }
            started[0] = server.start(login);
            out.println("pulse-dashboard: reading " + login.target() + ", schema " + schema + ", as " + login.describe());
            out.println("pulse-dashboard: live dashboard at  " + server.url() + "   (Ctrl-C stops)");
            return 0;
        } catch (UsageException e) {
            err.println("pulse-dashboard: " + e.getMessage());
            return 2;
        }
    }

    private static Map<String, String> parse(String[] args) throws UsageException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                o.put("help", "");
                continue;
            }
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "': options are written --name value; " + known());
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("jdbc-password") || name.equals("password")) {
                throw new UsageException("--" + name + ": passwords are never taken on the command line; set "
                        + ReaderRole.PASSWORD_ENV + " (user " + ReaderRole.NAME + ") or " + PulseOptions.PASSWORD_ENV
                        + " in the environment");
            }
            if (!OPTIONS.contains(name)) {
                throw new UsageException("--" + name + ": unknown option; " + known());
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + ": missing value");
                }
                value = args[++i];
            }
            if (o.put(name, value) != null) {
                throw new UsageException("--" + name + ": given twice; give it once");
            }
        }
        return o;
    }

    private static String known() {
        return "the options are --" + String.join(", --", OPTIONS) + " (see --help)";
    }

    private static int port(String v) throws UsageException {
        try {
            int p = Integer.parseInt(v.trim());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new UsageException("--port: '" + v + "' is not a port; give a number from 1 to 65535 (default "
                + DashboardServer.DEFAULT_PORT + ")");
    }

    /** One connection and one call before serving: a refused login or a schema without the function exits 2 now. */
    private static void check(DashboardLogin login, String passwordEnv) throws UsageException {
        try (Connection c = login.open();
             PreparedStatement ps = c.prepareStatement("SELECT to_regprocedure(? || '.pulse_dashboard(integer)') IS NOT NULL")) {
            ps.setString(1, quoteIdent(login.schema()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new UsageException("--schema: " + login.target() + " has no " + login.schema()
                            + ".pulse_dashboard(); give the job's --schema (a Pulse job installs it at start)");
                }
            }
            try (PreparedStatement call = c.prepareStatement("SELECT " + quoteIdent(login.schema())
                    + ".pulse_dashboard(1) IS NOT NULL")) {
                call.executeQuery().close();
            }
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String why = DashboardLogin.firstLine(e);
            if (state.startsWith("28") || state.equals("08004")) {
                throw new UsageException("--jdbc-user: " + login.target() + " refused the login (" + why + "); give a "
                        + "user that may log in and its password in " + passwordEnv);
            }
            if (state.equals("42501")) {
                throw new UsageException("--jdbc-user: may not read schema " + login.schema() + " (" + why + "); grant it "
                        + "as README, section BI, says, or give " + ReaderRole.NAME);
            }
            throw new UsageException("--jdbc-url: cannot read " + login.target() + " (" + why + "); check the address "
                    + "and that PostgreSQL runs there");
        }
    }

    private static String quoteIdent(String schema) {
        return "\"" + schema + "\"";
    }
}
