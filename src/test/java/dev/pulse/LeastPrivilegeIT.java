package dev.pulse;

import dev.pulse.StartupMistakesTest.Printed;
import dev.pulse.sink.JdbcSettings;
import dev.pulse.sink.SchemaInstaller;
import dev.pulse.support.TestPostgres;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.pulse.StartupMistakesTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles with only the rights an administrator gives a job: no CREATE on the database (PostgreSQL's default for a
 * new role). Each refusal names the statement that fixes it; the test then runs that statement and starts again.
 */
class LeastPrivilegeIT {
    @BeforeAll
    static void roles() throws Exception {
        TestPostgres.execute("CREATE ROLE lp_owner LOGIN");
        TestPostgres.execute("CREATE SCHEMA lp_owned AUTHORIZATION lp_owner");
        TestPostgres.execute("CREATE ROLE lp_nobody LOGIN");
        TestPostgres.execute("CREATE ROLE lp_guest LOGIN");
        TestPostgres.execute("CREATE SCHEMA lp_foreign");
    }

    private static String target() {
        return "localhost:" + TestPostgres.server().getPort() + "/postgres";
    }

    @Test
    void aRoleThatOwnsAPreCreatedSchemaStartsWithoutCreateOnTheDatabaseAndAgain() throws Exception {
        assertThat(TestPostgres.rows("SELECT has_database_privilege('lp_owner', 'postgres', 'CREATE')")).containsExactly("f");
        JdbcSettings jdbc = new JdbcSettings(TestPostgres.jdbcUrl(), "lp_owner", null, "lp_owned");
        SchemaInstaller.install(jdbc);
        SchemaInstaller.install(jdbc);
        assertThat(TestPostgres.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'lp_owned' AND tableowner = 'lp_owner'"))
                .isEqualTo(Metrics.tables().size() + 2); // + dead_letters, late_events
        assertThat(TestPostgres.count("SELECT count(*) FROM pg_views WHERE schemaname = 'lp_owned' AND viewowner = 'lp_owner'"))
                .isEqualTo(16);
    }

    @Test
    void aRoleThatMayNotCreateItsMissingSchemaIsToldTheStatementThatCreatesIt() throws Exception {
        Printed p = run(Map.of(), "--jdbc-url", TestPostgres.jdbcUrl(), "--jdbc-user", "lp_nobody", "--schema", "lp_missing");
        assertThat(p.code()).as(p.toString()).isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err()).containsExactly("pulse: --schema: schema lp_missing does not exist in " + target() + " and user "
                + "lp_nobody may not create it; an administrator runs CREATE SCHEMA lp_missing AUTHORIZATION lp_nobody "
                + "(or GRANT CREATE ON DATABASE postgres TO lp_nobody), or choose an existing --schema");

        TestPostgres.execute("CREATE SCHEMA lp_missing AUTHORIZATION lp_nobody");
        SchemaInstaller.install(new JdbcSettings(TestPostgres.jdbcUrl(), "lp_nobody", null, "lp_missing"));
    }

    @Test
    void aRoleWithoutRightsOnAnExistingSchemaIsToldTheGrant() throws Exception {
        Printed p = run(Map.of(), "--jdbc-url", TestPostgres.jdbcUrl(), "--jdbc-user", "lp_guest", "--schema", "lp_foreign");
        assertThat(p.code()).as(p.toString()).isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err()).containsExactly("pulse: --schema: user lp_guest may not create tables in schema lp_foreign of "
                + target() + "; an administrator runs GRANT USAGE, CREATE ON SCHEMA lp_foreign TO lp_guest, or choose "
                + "another --schema");

        TestPostgres.execute("GRANT USAGE, CREATE ON SCHEMA lp_foreign TO lp_guest");
        SchemaInstaller.install(new JdbcSettings(TestPostgres.jdbcUrl(), "lp_guest", null, "lp_foreign"));
    }
}
