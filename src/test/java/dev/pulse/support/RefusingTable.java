package dev.pulse.support;

import dev.pulse.sink.JdbcSettings;
import dev.pulse.sink.SchemaInstaller;

import java.sql.SQLException;

/**
 * A Pulse schema in {@link TestPostgres} where one table refuses every insert the way a CHECK constraint does
 * (SQLState 23514, the same after any restart). A sequence counts the statements that tried: sequences are not
 * rolled back with the failing statement.
 */
public final class RefusingTable {
    private RefusingTable() {}

    public static void install(String schema, String table) throws Exception {
        SchemaInstaller.install(new JdbcSettings(TestPostgres.jdbcUrl(), "postgres", null, schema));
        TestPostgres.execute("CREATE SEQUENCE " + schema + ".refused_attempts");
        TestPostgres.execute("CREATE FUNCTION " + schema + ".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "PERFORM nextval('" + schema + ".refused_attempts'); "
                + "RAISE EXCEPTION '% is frozen for the audit', TG_TABLE_NAME USING ERRCODE = 'check_violation'; END $$");
        TestPostgres.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + schema + "." + table
                + " FOR EACH STATEMENT EXECUTE FUNCTION " + schema + ".refuse()");
    }

    /** Insert statements into the table so far. */
    public static long attempts(String schema) throws SQLException {
        return TestPostgres.count("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + schema
                + ".refused_attempts");
    }
}
