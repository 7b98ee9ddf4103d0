package dev.pulse.sink;

import dev.pulse.support.TestPostgres;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-only role's life cycle: made by a job whose role may create roles (without a password: no login; with one:
 * login, stored hashed), or by an administrator running the README's statements when the job's role may not, after
 * which the job's next start grants it its schema. Each test starts without the role.
 */
class ReaderRoleIT {
    @BeforeEach
    void noReaderRole() throws Exception {
        TestPostgres.execute("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pulse_reader') THEN "
                + "EXECUTE 'DROP OWNED BY pulse_reader'; EXECUTE 'DROP ROLE pulse_reader'; END IF; END $$");
        TestPostgres.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rr_owner') THEN "
                + "CREATE ROLE rr_owner LOGIN; CREATE SCHEMA rr_owned AUTHORIZATION rr_owner; END IF; END $$");
    }

    private static String one(String sql) throws Exception {
        return TestPostgres.rows(sql).get(0);
    }

    @Test
    void aJobRoleThatMayNotCreateRolesStartsAndTheAdministratorsStatementsThenGiveTheReaderItsSchema() throws Exception {
        JdbcSettings owner = new JdbcSettings(TestPostgres.jdbcUrl(), "rr_owner", null, "rr_owned");
        SchemaInstaller.install(owner, "ignored-without-createrole");
        assertThat(ReaderRole.exists(TestPostgres.connect())).isFalse();

        for (String statement : ReaderRole.administratorStatements("postgres", "rr_owned")) {
            TestPostgres.execute(statement);
        }
        SchemaInstaller.install(owner);
        try (Connection reader = DriverManager.getConnection(TestPostgres.jdbcUrl(), ReaderRole.NAME, "choose-one");
             Statement st = reader.createStatement()) {
            // Unqualified: the administrator's statements set the role's search_path to the job's schema.
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM bi_gmv_today")) {
                assertThat(rs.next()).isTrue();
            }
            try (ResultSet rs = st.executeQuery("SHOW default_transaction_read_only")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
        }
        assertThat(one("SELECT has_table_privilege('pulse_reader', 'rr_owned.order_metrics', 'SELECT') "
                + "AND NOT has_table_privilege('pulse_reader', 'rr_owned.order_metrics', 'INSERT')")).isEqualTo("t");
    }

    @Test
    void withoutAPasswordTheRoleCannotLogInAndWithOneItCanStoredHashed() throws Exception {
        JdbcSettings admin = new JdbcSettings(TestPostgres.jdbcUrl(), "postgres", null, "rr_admin");
        SchemaInstaller.install(admin, null);
        assertThat(one("SELECT rolcanlogin, rolinherit, rolcreaterole, rolsuper, rolconfig::text FROM pg_roles "
                + "WHERE rolname = 'pulse_reader'")).isEqualTo("f|f|f|f|{default_transaction_read_only=on}");
        assertThat(one("SELECT setconfig::text FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
                + "JOIN pg_database d ON d.oid = s.setdatabase WHERE r.rolname = 'pulse_reader' AND d.datname = 'postgres'"))
                .isEqualTo("{search_path=rr_admin}");
        assertThat(one("SELECT has_table_privilege('pulse_reader', 'rr_admin.bi_funnel_live', 'SELECT')")).isEqualTo("t");

        SchemaInstaller.install(admin, "a-reader-password");
        assertThat(one("SELECT rolcanlogin AND rolpassword LIKE 'SCRAM-SHA-256$%' AND rolpassword NOT LIKE "
                + "'%a-reader-password%' FROM pg_authid WHERE rolname = 'pulse_reader'")).isEqualTo("t");
    }
}
