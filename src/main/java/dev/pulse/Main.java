package dev.pulse;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.UsageException;
import dev.pulse.dashboard.DashboardLogin;
import dev.pulse.dashboard.DashboardServer;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;
import dev.pulse.local.LocalPostgres;
import dev.pulse.local.ProgressLine;
import dev.pulse.local.ProgressReporter;
import dev.pulse.sink.JdbcSettings;
import dev.pulse.sink.PostgresSinks;
import dev.pulse.sink.ReaderRole;
import dev.pulse.sink.SchemaInstaller;
import dev.pulse.source.EventGenerator;
import dev.pulse.source.EventWatermarks;
import dev.pulse.source.FileSources;
import dev.pulse.source.GeneratorSources;
import dev.pulse.source.KafkaSources;
import dev.pulse.source.KafkaStartupCheck;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.InfoLogLevel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point of {@code flink run target/pulse.jar} and of {@code bin/pulse} (which sets {@code -Dpulse.local=true}
 * and runs the job in this JVM). Wires real sources and sinks from the options into {@link PulseJob}.
 * Exit status: 0 a bounded run completed, 2 a start-up mistake (one line naming the option and the fix), 1 the job failed.
 */
public final class Main {
    static final String LOCAL_PROPERTY = "pulse.local";
    static final String HOME_PROPERTY = "pulse.home";
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                out.println("usage: bin/pulse [options]   |   flink run target/pulse.jar [options]");
                out.println(PulseOptions.helpTable());
                return 0;
            }
        }
        boolean local = Boolean.getBoolean(LOCAL_PROPERTY);
        LocalPostgres embedded = null;
        DashboardServer dashboard = null;
        try {
            PulseOptions options = PulseOptions.parse(args, env);
            if (options.sessionGap().compareTo(PulseJob.FINEST_WINDOW) < 0) {
                throw new UsageException("--session-gap: must be at least 1min (lateness is judged per minute); give e.g. 30min");
            }
            Metrics.checkTables(options.tables());
            if (options.source() == PulseOptions.SourceKind.KAFKA) {
                KafkaStartupCheck.check(options.kafkaBootstrap(), KafkaStartupCheck.topics(options),
                        KafkaStartupCheck.TIMEOUT);
            }
            if (options.jdbcUrl() == null) {
                if (!local) {
                    throw new UsageException("--jdbc-url: required on a cluster; give jdbc:postgresql://host:5432/db "
                            + "(password in " + PulseOptions.PASSWORD_ENV + ")");
                }
                Path home = Path.of(System.getProperty(HOME_PROPERTY, ".pulse"));
                out.println("pulse: starting embedded PostgreSQL under " + home.resolve("pgdata") + " ...");
                embedded = LocalPostgres.start(home);
                // With the home locked no other bin/pulse uses it: RocksDB files a killed run left behind can go
                // (a run restores from its checkpoints, never from these).
                org.apache.flink.util.FileUtils.deleteDirectory(home.resolve("rocksdb").toFile());
                options = options.with(PulseOptions.JDBC_URL, embedded.jdbcUrl())
                        .with(PulseOptions.JDBC_USER, LocalPostgres.ROLE);
            }
            if (!local && options.dashboardPort() != null) {
                throw new UsageException("--dashboard-port: only for local runs (bin/pulse); for a job on a cluster serve "
                        + "the page with bin/pulse-dashboard --jdbc-url ... --schema ...");
            }
            if (local && !Integer.valueOf(0).equals(options.dashboardPort())) {
                dashboard = DashboardServer.bindLocal(options.dashboardPort());
            }
            JdbcSettings jdbc = new JdbcSettings(options.jdbcUrl(), options.jdbcUser(), options.jdbcPassword(), options.schema());
            SchemaInstaller.install(jdbc, ReaderRole.password(env));
            if (dashboard != null) {
                dashboard.start(DashboardLogin.preferReader(options.jdbcUrl(), options.schema(), ReaderRole.password(env),
                        options.jdbcUser(), options.jdbcPassword()));
            }

            StreamExecutionEnvironment flink = local ? localEnvironment(options) : clusterEnvironment(options);
            PulseJob.defineWorkflow(flink, sources(options), sinks(jdbc), options);

            if (embedded != null) {
                out.println("pulse: PostgreSQL is up; connect with:  " + embedded.psqlCommand());
            } else {
                out.println("pulse: writing to " + jdbc);
            }
            if (dashboard != null) {
                out.println("pulse: live dashboard at  " + dashboard.url());
            }
            return local ? runLocally(flink, embedded, dashboard, options, out, err) : runOnCluster(flink, err);
        } catch (UsageException e) {
            err.println("pulse: " + e.getMessage());
            closeQuietly(dashboard);
            closeQuietly(embedded);
            return 2;
        } catch (Exception e) {
            err.println("pulse: the job could not start: " + rootMessage(e));
            closeQuietly(dashboard);
            closeQuietly(embedded);
            return 1;
        }
    }

    static PulseJob.Sources sources(PulseOptions options) {
        EventParser parser = new EventParser(options.maxFuture());
        switch (options.source()) {
            case FILES: {
                Path dir = options.input();
                // A file is one split: one reader per stream. A second reader would own no split, and until it
                // finished it would hold every downstream watermark back by a timing-dependent amount.
                return new PulseJob.Sources(FileSources.of(dir, StreamName.ORDERS, parser),
                        FileSources.of(dir, StreamName.BEHAVIOR, parser), FileSources.of(dir, StreamName.PAYMENTS, parser),
                        EventWatermarks.bounded(options.outOfOrderness()), 1);
            }
            case KAFKA: {
                // At the job's parallelism: partitions spread over the readers, and each partition keeps its order
                // on its way to the keyed de-duplication, which is all "first paid in arrival order" needs as long
                // as producers key orders by order_id. Watermarks are live (idle partitions follow the clock).
                return new PulseJob.Sources(KafkaSources.of(options, StreamName.ORDERS, parser),
                        KafkaSources.of(options, StreamName.BEHAVIOR, parser),
                        KafkaSources.of(options, StreamName.PAYMENTS, parser),
                        EventWatermarks.live(options.outOfOrderness(), options.idleTimeout()), null);
            }
            default: {
                long seed = options.seed() != null ? options.seed() : System.nanoTime();
                EventGenerator gen = new EventGenerator(seed, options.rate(), System.currentTimeMillis(),
                        EventGenerator.Faults.standard());
                Duration span = options.duration();
                // One generator subtask per stream: record times derive from the index, and 100k+ records/s fit one core.
                return new PulseJob.Sources(GeneratorSources.of(gen, StreamName.ORDERS, span, parser),
                        GeneratorSources.of(gen, StreamName.BEHAVIOR, span, parser),
                        GeneratorSources.of(gen, StreamName.PAYMENTS, span, parser),
                        EventWatermarks.live(options.outOfOrderness(), options.idleTimeout()), 1);
            }
        }
    }

    static PulseJob.Sinks sinks(JdbcSettings jdbc) {
        PostgresSinks sinks = new PostgresSinks(jdbc);
        return new PulseJob.Sinks(sinks, sinks.deadLetters(), sinks.lateEvents());
    }

    private static StreamExecutionEnvironment clusterEnvironment(PulseOptions options) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(PulseJob.requiredConfiguration());
        commonSettings(env, options);
        return env;
    }

    private static StreamExecutionEnvironment localEnvironment(PulseOptions options) {
        Configuration conf = PulseJob.requiredConfiguration();
        conf.setString("metrics.reporter.pulseprogress.factory.class", ProgressReporter.Factory.class.getName());
        // Flink's default keeps checkpoints in JobManager memory, capped at 5 MB: de-duplication state outgrows it.
        Path home = Path.of(System.getProperty(HOME_PROPERTY, ".pulse")).toAbsolutePath();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, home.resolve("checkpoints").toUri().toString());
        // A local job that keeps failing should say so (exit 1), not restart forever.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(5));
        PulseOptions.StateBackend backend = localBackend(options);
        conf.addAll(stateBackend(backend));
        if (backend == PulseOptions.StateBackend.ROCKSDB) {
            // RocksDB's block cache and write buffers come from managed memory, shared by a slot's stateful steps;
            // a local run's default (128 MB for all slots) makes it flush and compact far more often.
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, LOCAL_ROCKSDB_MEMORY);
            // Its working files under the Pulse home, not the system temp folder: one place to find and size them.
            conf.setString("state.backend.rocksdb.localdir", home.resolve("rocksdb").toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        commonSettings(env, options);
        return env;
    }

    private static void commonSettings(StreamExecutionEnvironment env, PulseOptions options) {
        if (options.parallelism() != null) {
            env.setParallelism(options.parallelism());
        }
        if (options.stateBackend() != null) {
            env.configure(stateBackend(options.stateBackend()));
        }
        // Aligned checkpoints keep window state consistent; the sinks are at-least-once and idempotent. A cluster's
        // own setting (config.yaml, flink run -D) wins: checkpointing is the operator's to tune, not the jar's.
        if (env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
            env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
    }

    static final MemorySize LOCAL_ROCKSDB_MEMORY = MemorySize.ofMebiBytes(512);

    /**
     * The local run's backend, as given, or by default: a run that never ends keeps its state on local disk (RocksDB),
     * as per-user state of the day and of retention grows with the users seen and the heap must not; a bounded
     * replay keeps it on the heap, about 1.6x cheaper per event.
     */
    static PulseOptions.StateBackend localBackend(PulseOptions options) {
        if (options.stateBackend() != null) {
            return options.stateBackend();
        }
        return options.unbounded() ? PulseOptions.StateBackend.ROCKSDB : PulseOptions.StateBackend.HEAP;
    }

    /** The backend's settings: RocksDB checkpoints incrementally, so a checkpoint writes what changed, not all. */
    static Configuration stateBackend(PulseOptions.StateBackend backend) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend.flinkType);
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, backend == PulseOptions.StateBackend.ROCKSDB);
        if (backend == PulseOptions.StateBackend.ROCKSDB) {
            // RocksDB's own info log: Flink's default (INFO, up to 4 files of 25 MB per stateful subtask) grew by
            // ~6 MB/min over this job's ~60 RocksDB instances, 3x the state itself after 2 hours. Warnings only.
            conf.set(RocksDBConfigurableOptions.LOG_LEVEL, InfoLogLevel.WARN_LEVEL);
            conf.set(RocksDBConfigurableOptions.LOG_MAX_FILE_SIZE, MemorySize.parse("4mb"));
            conf.set(RocksDBConfigurableOptions.LOG_FILE_NUM, 2);
        }
        return conf;
    }

    private static int runOnCluster(StreamExecutionEnvironment env, PrintStream err) {
        try {
            env.execute("pulse");
            return 0;
        } catch (Exception e) {
            if (rootCause(e) instanceof java.net.ConnectException) {
                // Before the job exists: the client's configuration points at no running cluster.
                String where = env.getConfiguration().get(RestOptions.ADDRESS) + ":" + env.getConfiguration().get(RestOptions.PORT);
                err.println("pulse: cannot reach the Flink cluster at " + where + " (" + rootMessage(e) + "); start it "
                        + "(bin/local-cluster start) or point FLINK_CONF_DIR / flink run -m at its REST address");
                return 2;
            }
            err.println("pulse: the job failed: " + rootMessage(e));
            return 1;
        }
    }

    private static int runLocally(StreamExecutionEnvironment env, LocalPostgres embedded, DashboardServer dashboard,
                                  PulseOptions options, PrintStream out, PrintStream err) throws Exception {
        JobClient job = env.executeAsync("pulse");
        AtomicBoolean stopping = new AtomicBoolean();
        Thread shutdown = new Thread(() -> {
            stopping.set(true);
            out.println("pulse: stopping ...");
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already finished or the cluster is going down with the JVM
            }
            out.println("pulse: " + ProgressLine.now(Metrics.rowCounters()));
            closeQuietly(dashboard);
            closeQuietly(embedded);
            out.println("pulse: stopped");
            out.flush();
        }, "pulse-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        Thread progress = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(PROGRESS_INTERVAL.toMillis());
                    out.println("pulse: " + ProgressLine.now(Metrics.rowCounters()));
                }
            } catch (InterruptedException ignored) {
                // run over
            }
        }, "pulse-progress");
        progress.setDaemon(true);
        progress.start();
        out.println("pulse: job " + job.getJobID() + " running (" + describe(options) + "; state in "
                + localBackend(options).name().toLowerCase(java.util.Locale.ROOT) + "); Ctrl-C stops it");
        try {
            job.getJobExecutionResult().get();
            progress.interrupt();
            out.println("pulse: done. " + ProgressLine.now(Metrics.rowCounters()));
            Runtime.getRuntime().removeShutdownHook(shutdown);
            closeQuietly(dashboard);
            closeQuietly(embedded);
            return 0;
        } catch (Exception e) {
            if (stopping.get()) {
                Thread.currentThread().join(); // the shutdown hook finishes the stop
            }
            progress.interrupt();
            err.println("pulse: the job failed: " + rootMessage(e));
            Runtime.getRuntime().removeShutdownHook(shutdown);
            closeQuietly(dashboard);
            closeQuietly(embedded);
            return 1;
        }
    }

    private static String describe(PulseOptions options) {
        switch (options.source()) {
            case FILES: return "replaying " + options.input();
            case KAFKA: return "reading Kafka at " + options.kafkaBootstrap() + " from "
                    + options.kafkaStart().name().toLowerCase(java.util.Locale.ROOT)
                    + (options.kafkaStop() == PulseOptions.KafkaStop.LATEST ? " to the end offsets seen at start" : "");
            default: return "generator at " + options.rate() + " orders/s"
                    + (options.duration() == null ? "" : " for " + options.duration().toSeconds() + " s of event time");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }

    static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    static String rootMessage(Throwable e) {
        Throwable root = rootCause(e);
        String m = root.getMessage();
        return (m == null ? root.getClass().getSimpleName() : m.split("\\R")[0]);
    }
}
