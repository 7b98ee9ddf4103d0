package dev.pulse.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StartFailureTest {
    private static final Path DATA = Path.of("/home/u/.pulse/pgdata");
    private static final Path LOG = Path.of("/home/u/.pulse/postgres.log");
    private static final IOException GAVE_UP = new IOException("Gave up waiting for server to start after 10000ms",
            new ConnectException("Connection refused"));

    @Test
    void namesWhatTheServerReportedInsteadOfTheConnectionRefusedItCausedAndDoesNotBlameUserNamespaces() {
        String output = "pg_ctl: another server might be running; trying to start server anyway\n"
                + "waiting for server to start....2026-11-23 15:29:52.683 UTC [3587] FATAL:  lock file "
                + "\"postmaster.pid\" already exists\n"
                + "2026-11-23 15:29:52.683 UTC [3587] HINT:  Is another postmaster (PID 3124) running in data "
                + "directory \"/home/u/.pulse/pgdata\"?\n"
                + " stopped waiting\npg_ctl: could not start server\nExamine the log output.\n";

        assertThat(StartFailure.describe(DATA, LOG, output, GAVE_UP, false)).isEqualTo("embedded PostgreSQL did not "
                + "start under /home/u/.pulse/pgdata: FATAL:  lock file \"postmaster.pid\" already exists HINT:  Is "
                + "another postmaster (PID 3124) running in data directory \"/home/u/.pulse/pgdata\"? (server log: "
                + "/home/u/.pulse/postgres.log); fix that, or pass --jdbc-url of a running PostgreSQL");
    }

    @Test
    void blamesUserNamespacesWhenTheServerRefusedToRunAsRoot() {
        String output = "2026-11-23 10:00:00.000 UTC [1] FATAL:  \"root\" execution of the PostgreSQL server is "
                + "not permitted.\n";

        assertThat(StartFailure.describe(DATA, LOG, output, GAVE_UP, false))
                .contains("as root it must run inside a user namespace (unshare -U), which this system refuses")
                .contains("run as a normal user, or pass --jdbc-url");
    }

    @Test
    void blamesUserNamespacesWhenRootHasNoneEvenBeforeTheServerSaysSo() {
        assertThat(StartFailure.describe(DATA, LOG, "", GAVE_UP, true)).contains("user namespace");
    }

    @Test
    void fallsBackToTheLibrarysMessageWhenTheServerSaidNothing() {
        assertThat(StartFailure.describe(DATA, LOG, "", new IllegalStateException("could not create /x"), false))
                .isEqualTo("embedded PostgreSQL did not start under /home/u/.pulse/pgdata: could not create /x "
                        + "(server log: /home/u/.pulse/postgres.log); fix that, or pass --jdbc-url of a running "
                        + "PostgreSQL");
    }

    @Test
    void findsAnInitdbError() {
        assertThat(StartFailure.firstError("initdb: error: could not create directory \"/x\": No space left on device\n"))
                .isEqualTo("initdb: error: could not create directory \"/x\": No space left on device");
    }
}
