package dev.pulse.local;

import io.zonky.test.db.postgres.util.LinuxUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line {@code bin/pulse} prints when the embedded PostgreSQL does not start, naming what the server itself
 * reported. The library's exception only says it could not connect ("Connection refused"), whatever the cause:
 * a data directory in use, a full disk, or, as root, user namespaces the kernel refuses. User namespaces are blamed
 * only when that is what happened.
 */
final class StartFailure {
    /** What the server and its tools print when they run as root, i.e. outside a user namespace. */
    private static final List<String> ROOT_REFUSALS = List.of("cannot be run as root",
            "\"root\" execution of the postgresql server is not permitted", "unshare failed");
    private static final Pattern ERROR_LINE = Pattern.compile(
            "(FATAL|PANIC|ERROR):\\s+.*|initdb: error: .*|pg_ctl: (?!another server might be running).*");

    private static final Pattern HINT_LINE = Pattern.compile("HINT:\\s+.*");

    private StartFailure() {}

    static String describe(Path dataDir, Path serverLog, String serverOutput, Throwable error,
                           boolean rootWithoutUserNamespaces) {
        String reported = firstError(serverOutput);
        String lower = serverOutput.toLowerCase(Locale.ROOT);
        boolean refusedAsRoot = ROOT_REFUSALS.stream().anyMatch(lower::contains);
        String start = "embedded PostgreSQL did not start under " + dataDir + ": ";
        if (rootWithoutUserNamespaces || refusedAsRoot) {
            return start + "as root it must run inside a user namespace (unshare -U), which this system refuses"
                    + (reported == null ? "" : " (" + reported + ")")
                    + "; allow them (sysctl kernel.unprivileged_userns_clone=1 or user.max_user_namespaces > 0),"
                    + " run as a normal user, or pass --jdbc-url of a running PostgreSQL";
        }
        return start + (reported != null ? reported : rootMessage(error)) + " (server log: " + serverLog
                + "); fix that, or pass --jdbc-url of a running PostgreSQL";
    }

    /** The first error line of the server's output and its hint, without their timestamp and pid prefix. */
    static String firstError(String serverOutput) {
        String[] lines = serverOutput.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ERROR_LINE.matcher(lines[i]);
            if (m.find()) {
                Matcher hint = HINT_LINE.matcher(i + 1 < lines.length ? lines[i + 1] : "");
                return m.group().trim() + (hint.find() ? " " + hint.group().trim() : "");
            }
        }
        return null;
    }

    /** Root and yet no user namespace to run in: zonky then starts PostgreSQL directly, which refuses root. */
    static boolean rootWithoutUserNamespaces() {
        return "root".equals(System.getProperty("user.name")) && !LinuxUtils.isUnshareAvailable();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.toString() : root.getMessage();
        return m.split("\\R")[0];
    }
}
