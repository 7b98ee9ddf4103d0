package dev.pulse.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a query from N threads, each with its own connection and a prepared statement (server-side prepared from the
 * first execution on), reading every row. Latency: from execute to the last row read.
 */
final class JdbcLoad implements BiBench.Load {
    private final String url;
    private final String user;

    JdbcLoad(String url, String user) {
        this.url = url;
        this.user = user;
    }

    @Override
    public Latencies run(String label, String sql, int clients, double warmupS, double seconds) throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Connection c = DriverManager.getConnection(url + "?prepareThreshold=1", user, null);
                connections.add(c);
            }
            long start = System.nanoTime();
            long measureFrom = start + Math.round(warmupS * 1e9);
            long until = measureFrom + Math.round(seconds * 1e9);
            AtomicLong errors = new AtomicLong();
            AtomicReference<String> firstError = new AtomicReference<>();
            List<long[]> perThread = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (Connection c : connections) {
                long[][] buffer = {new long[1024]};
                int[] size = {0};
                Thread t = new Thread(() -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        while (true) {
                            long t0 = System.nanoTime();
                            if (t0 >= until) {
                                break;
                            }
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    rs.getObject(1);
                                }
                            } catch (Exception e) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, e.toString());
                                continue;
                            }
                            long t1 = System.nanoTime();
                            if (t1 >= measureFrom) {
                                if (size[0] == buffer[0].length) {
                                    buffer[0] = java.util.Arrays.copyOf(buffer[0], size[0] * 2);
                                }
                                buffer[0][size[0]++] = (t1 - t0) / 1000;
                            }
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    synchronized (perThread) {
                        perThread.add(java.util.Arrays.copyOf(buffer[0], size[0]));
                    }
                }, "bi-bench-client");
                threads.add(t);
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            long[] all = perThread.stream().flatMapToLong(java.util.Arrays::stream).toArray();
            return new Latencies(all, errors.get(), firstError.get(), seconds);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }
}
