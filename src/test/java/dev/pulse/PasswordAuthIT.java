package dev.pulse;

import dev.pulse.StartupMistakesTest.Printed;
import dev.pulse.sink.JdbcSettings;
import dev.pulse.sink.SchemaInstaller;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static dev.pulse.StartupMistakesTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second real PostgreSQL that, unlike {@code TestPostgres}, asks every user but postgres for a password
 * (scram-sha-256 in pg_hba.conf): what a production server does.
 */
class PasswordAuthIT {
    private static final String USER = "alice";
    private static final String PASSWORD = "c0rrect-h0rse-battery";
    private static final String WRONG = "Tr0ub4dor-and-3";

    @TempDir
    static Path dataDir;
    private static EmbeddedPostgres server;

    @BeforeAll
    static void startAServerThatAsksForPasswords() throws Exception {
        server = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pgdata"))
                .setDataDirectoryCustomizer(dir -> {
                    try {
                        // postgres keeps trust so the test can set up roles; everyone else needs a password.
                        Files.writeString(dir.toPath().resolve("pg_hba.conf"), String.join("\n",
                                "host all postgres 127.0.0.1/32 trust",
                                "host all postgres ::1/128 trust",
                                "host all all 127.0.0.1/32 scram-sha-256",
                                "host all all ::1/128 scram-sha-256", ""));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .start();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            st.execute("GRANT CREATE ON DATABASE postgres TO " + USER);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
    }

    private static String target() {
        return "127.0.0.1:" + server.getPort() + "/postgres";
    }

    @Test
    void aMissingOrEmptyPasswordExitsTwoSayingItGoesInPulseJdbcPassword() {
        String line = "pulse: --jdbc-user: PostgreSQL at " + target() + " asks for a password for user 'alice' and none "
                + "was given; set the environment variable PULSE_JDBC_PASSWORD to it";
        for (Map<String, String> env : java.util.List.of(Map.<String, String>of(), Map.of("PULSE_JDBC_PASSWORD", ""))) {
            Printed p = run(env, "--jdbc-url", url(), "--jdbc-user", USER, "--schema", "pw_missing");
            assertThat(p.code()).as(p.toString()).isEqualTo(2);
            assertThat(p.out()).isEmpty();
            assertThat(p.err()).containsExactly(line);
        }
    }

    @Test
    void aWrongPasswordExitsTwoSayingSoAndNeverPrintsIt() {
        Printed p = run(Map.of("PULSE_JDBC_PASSWORD", WRONG), "--jdbc-url", url(), "--jdbc-user", USER, "--schema", "pw_wrong");
        assertThat(p.code()).as(p.toString()).isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err()).containsExactly("pulse: --jdbc-user: PostgreSQL at " + target() + " rejected the password for "
                + "user 'alice'; set PULSE_JDBC_PASSWORD to that user's password, or correct --jdbc-user");
        assertThat(p.all()).noneMatch(l -> l.contains(WRONG));
    }

    @Test
    void theRightPasswordFromTheEnvironmentInstallsTheTables() throws Exception {
        JdbcSettings jdbc = new JdbcSettings(url(), USER, PASSWORD, "pw_right");
        SchemaInstaller.install(jdbc);
        assertThat(jdbc.toString()).isEqualTo(target() + " (user alice, schema pw_right)").doesNotContain(PASSWORD);
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'pw_right' AND tableowner = 'alice'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(Metrics.tables().size() + 2); // + dead_letters, late_events
        }
    }
}
