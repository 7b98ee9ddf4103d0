package dev.pulse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a query with PostgreSQL's pgbench: {@code -n -M prepared -c N -j min(N, 4) -T warm-up+seconds -l}, one custom
 * script holding the query. Latencies come from the per-transaction log (completion time and latency in µs); the
 * transactions that completed in the warm-up are dropped.
 */
final class Pgbench implements BiBench.Load {
    private final int port;
    private final String database;
    private final String user;
    private final Path dir;

    Pgbench(int port, String database, String user, Path dir) {
        this.port = port;
        this.database = database;
        this.user = user;
        this.dir = dir;
    }

    static boolean available() {
        try {
            return new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String version() {
        try {
            Process p = new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return v;
        } catch (IOException e) {
            return "pgbench";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "pgbench";
        }
    }

    @Override
    public Latencies run(String label, String sql, int clients, double warmupS, double seconds) throws Exception {
        Files.createDirectories(dir);
        Path script = dir.resolve(label + ".sql");
        Files.writeString(script, sql + ";\n");
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith(label + ".log")).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
        long total = Math.max(1, Math.round(warmupS + seconds));
        List<String> command = List.of("pgbench", "-n", "-h", "localhost", "-p", Integer.toString(port), "-U", user,
                "-M", "prepared", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 4)),
                "-T", Long.toString(total), "-l", "--log-prefix=" + dir.resolve(label + ".log"), "-f", script.toString(),
                database);
        Path output = dir.resolve(label + ".out");
        long startMicros = System.currentTimeMillis() * 1000;
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!p.waitFor(total + 600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("pgbench did not finish; see " + output);
        }
        long fromMicros = startMicros + Math.round(warmupS * 1e6);
        List<Long> kept = new ArrayList<>();
        long errors = 0;
        String firstError = null;
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(x -> x.getFileName().toString().startsWith(label + ".log")).collect(Collectors.toList())) {
                for (String line : Files.readAllLines(log)) {
                    // client_id transaction_no time script_no time_epoch time_us [...]
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 6) {
                        continue;
                    }
                    long done = Long.parseLong(f[4]) * 1_000_000 + Long.parseLong(f[5]);
                    if (done < fromMicros) {
                        continue;
                    }
                    if (f[2].chars().allMatch(Character::isDigit)) {
                        kept.add(Long.parseLong(f[2]));
                    } else {
                        errors++;
                    }
                }
            }
        }
        String out = Files.readString(output);
        if (p.exitValue() != 0) {
            errors++;
            firstError = "pgbench exit " + p.exitValue() + ": " + out.lines().filter(l -> l.contains("error") || l.contains("abort"))
                    .findFirst().orElse(out.lines().reduce((a, b) -> b).orElse(""));
        }
        long[] micros = kept.stream().mapToLong(Long::longValue).toArray();
        return new Latencies(micros, errors, firstError, total - warmupS);
    }
}
