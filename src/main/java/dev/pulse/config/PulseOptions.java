package dev.pulse.config;

import dev.pulse.events.StreamName;

import java.io.Serializable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every command-line option of Pulse, typed, with its default and description, in one place (SPEC §5).
 * The same options serve {@code bin/pulse} and {@code flink run}. The JDBC password is never an option:
 * it comes only from the environment variable {@value #PASSWORD_ENV}.
 */
public final class PulseOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String PASSWORD_ENV = "PULSE_JDBC_PASSWORD";

    public enum SourceKind { GENERATOR, FILES, KAFKA }

    public enum KafkaStart { EARLIEST, LATEST, COMMITTED }

    /** Where a Kafka read ends: never (a live job), or at the end offsets seen at start (a bounded replay). */
    public enum KafkaStop { NEVER, LATEST }

    /** Where keyed state lives: Java objects on the TaskManager heap, or RocksDB on local disk (off-heap). */
    public enum StateBackend {
        HEAP("hashmap"), ROCKSDB("rocksdb");

        /** Flink's name for it ({@code state.backend.type}). */
        public final String flinkType;

        StateBackend(String flinkType) {
            this.flinkType = flinkType;
        }
    }

    /** One option: its name, default as the user writes it (null: none), description and parser. */
    public record Option<T>(String name, String defaultText, String description, Function<String, T> parser) {}

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");

    public static final Option<SourceKind> SOURCE = new Option<>("source", "generator",
            "generator, files or kafka", v -> enumValue(SourceKind.class, v));
    public static final Option<Path> INPUT = new Option<>("input", null,
            "with files: a folder holding orders.jsonl, behavior.jsonl, payments.jsonl (a missing file is an empty stream)",
            Path::of);
    public static final Option<Long> RATE = new Option<>("rate", "1000",
            "with generator: order events per second; behaviour and payments follow the mix 1000 : 5000 : 500",
            v -> positiveLong(v));
    public static final Option<Long> SEED = new Option<>("seed", "random",
            "with generator: seed of the deterministic event sequence", Long::parseLong);
    public static final Option<Duration> DURATION = new Option<>("duration", "unbounded",
            "with generator: stop generating after this much event time (the run then ends like a files run)",
            PulseOptions::positiveDuration);
    public static final Option<String> KAFKA_BOOTSTRAP = new Option<>("kafka-bootstrap", null,
            "with kafka: bootstrap servers, host:port[,host:port]", v -> v);
    public static final Option<String> KAFKA_GROUP = new Option<>("kafka-group", "pulse",
            "with kafka: consumer group id", v -> v);
    public static final Option<String> TOPIC_ORDERS = new Option<>("topic-orders", "orders", "with kafka: orders topic", v -> v);
    public static final Option<String> TOPIC_BEHAVIOR = new Option<>("topic-behavior", "user-behavior",
            "with kafka: behaviour topic", v -> v);
    public static final Option<String> TOPIC_PAYMENTS = new Option<>("topic-payments", "payments", "with kafka: payments topic", v -> v);
    public static final Option<KafkaStart> KAFKA_START = new Option<>("kafka-start", "committed",
            "with kafka: earliest, latest or committed (falls back to earliest)", v -> enumValue(KafkaStart.class, v));
    public static final Option<KafkaStop> KAFKA_STOP = new Option<>("kafka-stop", "never",
            "with kafka: never, or latest (read up to the end offsets seen at start, then finish like a files run)",
            v -> enumValue(KafkaStop.class, v));
    public static final Option<String> JDBC_URL = new Option<>("jdbc-url", "embedded (local only)",
            "PostgreSQL JDBC URL, " + JdbcUrl.FORM + "; required on a cluster", PulseOptions::jdbcUrl);
    public static final Option<String> JDBC_USER = new Option<>("jdbc-user", "pulse",
            "PostgreSQL user; the password comes only from the environment variable " + PASSWORD_ENV, v -> v);
    public static final Option<String> SCHEMA = new Option<>("schema", "public",
            "PostgreSQL schema of the tables; created with every table and view when absent", PulseOptions::identifier);
    public static final Option<Duration> OUT_OF_ORDERNESS = new Option<>("out-of-orderness", "5s",
            "bounded out-of-orderness of the watermarks", PulseOptions::nonNegativeDuration);
    public static final Option<Duration> IDLE_TIMEOUT = new Option<>("idle-timeout", "30s",
            "a source split quiet this long stops holding back the watermark", PulseOptions::positiveDuration);
    public static final Option<Duration> ALLOWED_LATENESS = new Option<>("allowed-lateness", "60s",
            "records this far behind the watermark still rewrite their windows; later ones go to late_events",
            PulseOptions::nonNegativeDuration);
    public static final Option<Duration> EMIT_INTERVAL = new Option<>("emit-interval", "1s",
            "processing-time interval of early results for open windows", PulseOptions::positiveDuration);
    public static final Option<Duration> SESSION_GAP = new Option<>("session-gap", "30min",
            "inactivity gap that closes a user session", PulseOptions::positiveDuration);
    public static final Option<Duration> MAX_FUTURE = new Option<>("max-future", "1h",
            "an event_time later than the wall clock plus this is a dead letter (a broken clock must not move the watermark)",
            PulseOptions::nonNegativeDuration);
    public static final Option<Duration> DEDUPE_HORIZON = new Option<>("dedupe-horizon", "5min",
            "a re-delivered event_id is recognised until this long after its event's allowed lateness ended; later "
            + "copies can change no result and go to late_events", PulseOptions::nonNegativeDuration);
    public static final Option<Duration> PAID_ONCE_HORIZON = new Option<>("paid-once-horizon", "1h",
            "a repeated paid or cancelled event of an order is recognised until this long after the first one's "
            + "allowed lateness ended (state: one entry per order within it)", PulseOptions::nonNegativeDuration);
    public static final Option<Integer> TOP_N = new Option<>("top-n", "10", "products per top-N window, 1 to 1000",
            v -> intInRange(v, 1, 1000));
    public static final Option<List<String>> TABLES = new Option<>("tables", "all",
            "metric tables to compute, comma-separated; a family's tables come together (gmv_sliding with "
            + "top_products); the others stay empty", PulseOptions::identifiers);
    public static final Option<StateBackend> STATE_BACKEND = new Option<>("state-backend",
            "the cluster's (bin/pulse: rocksdb when the input never ends, heap for a bounded run)",
            "heap (fastest; all state in the JVM heap) or rocksdb (state on local disk, incremental checkpoints; "
            + "the heap stays flat however many users: for runs that last)", v -> enumValue(StateBackend.class, v));
    // Flink's upper bound for the maximum parallelism.
    public static final Option<Integer> PARALLELISM = new Option<>("parallelism", "Flink's default",
            "job parallelism, 1 to 32768", v -> intInRange(v, 1, 32768));

    public static final Option<Integer> DASHBOARD_PORT = new Option<>("dashboard-port", "8088",
            "bin/pulse only: port of the live dashboard page on localhost; 0 turns it off (the default 8088, when busy, "
            + "becomes a free port)", v -> intInRange(v, 0, 65535));

    public static final List<Option<?>> ALL = List.of(SOURCE, INPUT, RATE, SEED, DURATION, KAFKA_BOOTSTRAP, KAFKA_GROUP,
            TOPIC_ORDERS, TOPIC_BEHAVIOR, TOPIC_PAYMENTS, KAFKA_START, KAFKA_STOP, JDBC_URL, JDBC_USER, SCHEMA, OUT_OF_ORDERNESS,
            IDLE_TIMEOUT, ALLOWED_LATENESS, EMIT_INTERVAL, SESSION_GAP, MAX_FUTURE, DEDUPE_HORIZON, PAID_ONCE_HORIZON, TOP_N,
            TABLES, STATE_BACKEND, PARALLELISM, DASHBOARD_PORT);

    /** A parser's complaint that already says what is wrong and how to fix it: printed without the description. */
    static final class OptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OptionException(String message) {
            super(message);
        }
    }

    /**
     * A {@code --jdbc-url} checked when parsed, so a malformed one never reaches the driver (pgjdbc would log a
     * warning to the terminal and fall back to localhost:5432). {@link #target()} is what Pulse prints of a URL:
     * hosts, ports and database, never its parameters. Messages never echo the URL: it may hold a secret.
     */
    public record JdbcUrl(List<String> hosts, String database) {
        public static final String FORM = "jdbc:postgresql://host[:port][,host[:port]...]/database[?params]";
        private static final String PREFIX = "jdbc:postgresql://";
        private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9._-]+)?\\]|[A-Za-z0-9._-]+)(?::(.*))?");
        private static final Pattern PORT = Pattern.compile("\\d{1,5}");

        public static JdbcUrl parse(String url) {
            int q = url.indexOf('?');
            if (q >= 0) {
                refuseSecrets(url.substring(q + 1));
            }
            String fix = "; write " + FORM;
            if (!url.startsWith(PREFIX)) {
                throw new OptionException("not a PostgreSQL JDBC URL" + fix);
            }
            String rest = url.substring(PREFIX.length(), q >= 0 ? q : url.length());
            int slash = rest.indexOf('/');
            String hostList = slash >= 0 ? rest.substring(0, slash) : rest;
            if (hostList.contains("@")) {
                throw new OptionException("a user or password before '@' is not accepted; give the user with --jdbc-user, "
                        + "the password in the environment variable " + PASSWORD_ENV + ", and the URL as " + FORM);
            }
            List<String> hosts = new ArrayList<>();
            for (String h : hostList.split(",", -1)) {
                Matcher m = HOST.matcher(h);
                if (!m.matches()) {
                    throw new OptionException(h.isEmpty() ? "a host is missing" + fix : "'" + h + "' is not a host[:port]" + fix);
                }
                String port = m.group(2) == null ? "5432" : m.group(2);
                if (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                    throw new OptionException("port '" + port + "' of host " + m.group(1) + " is not a number from 1 to 65535" + fix);
                }
                hosts.add(m.group(1) + ":" + port);
            }
            String database = slash >= 0 ? rest.substring(slash + 1) : "";
            if (database.isEmpty() || database.contains("/")) {
                throw new OptionException((database.isEmpty() ? "no database named" : "'" + database + "' is not a database name") + fix);
            }
            return new JdbcUrl(List.copyOf(hosts), database);
        }

        /** host:port[,host:port]/database of a URL, for every message that names where Pulse writes. */
        public static String target(String url) {
            return parse(url).target();
        }

        public String target() {
            return String.join(",", hosts) + "/" + database;
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notEncoded) {
                return s;
            }
        }

        // Command lines show up in process lists, shell history and Flink's logs: no secret may travel in one.
        private static void refuseSecrets(String query) {
            for (String param : query.split("&")) {
                String key = decode(param.split("=", 2)[0]).trim().toLowerCase(Locale.ROOT);
                if (key.equals("password")) {
                    throw new OptionException("a password parameter is not accepted in the URL (command lines show in "
                            + "process lists and logs); set the environment variable " + PASSWORD_ENV + " instead");
                }
                if (key.equals("sslpassword")) {
                    throw new OptionException("an sslpassword parameter is not accepted in the URL (command lines show in "
                            + "process lists and logs); use an sslkey without a passphrase (the only password Pulse takes "
                            + "is the login password, from " + PASSWORD_ENV + ")");
                }
            }
        }
    }

    private final Map<String, Object> values;
    private final String jdbcPassword;

    private PulseOptions(Map<String, Object> values, String jdbcPassword) {
        this.values = values;
        this.jdbcPassword = jdbcPassword;
    }

    /** Parses {@code --name value} pairs; {@code env} supplies the password. */
    public static PulseOptions parse(String[] args, Map<String, String> env) throws UsageException {
        Map<String, Option<?>> byName = new LinkedHashMap<>();
        ALL.forEach(o -> byName.put(o.name(), o));
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "': options are written --name value (see --help)");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("jdbc-password")) {
                throw new UsageException("--jdbc-password: passwords are never taken on the command line; set "
                        + PASSWORD_ENV + " in the environment instead");
            }
            Option<?> option = byName.get(name);
            if (option == null) {
                throw new UsageException("--" + name + ": unknown option; the options are listed by --help");
            }
            String text = inline;
            if (text == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + ": missing value; write --" + name + " <value>"
                            + (option.defaultText() == null ? "" : " (default " + option.defaultText() + ")"));
                }
                text = args[++i];
            }
            if (values.containsKey(name)) {
                throw new UsageException("--" + name + ": given twice; give it once");
            }
            try {
                values.put(name, option.parser().apply(text));
            } catch (OptionException e) {
                throw new UsageException("--" + name + ": " + e.getMessage());
            } catch (RuntimeException e) {
                throw new UsageException("--" + name + ": " + message(e, text) + " (" + option.description() + ")");
            }
        }
        PulseOptions options = new PulseOptions(Collections.unmodifiableMap(values), env.get(PASSWORD_ENV));
        options.checkCombination();
        return options;
    }

    private void checkCombination() throws UsageException {
        SourceKind source = source();
        if (source == SourceKind.FILES) {
            Path input = get(INPUT);
            if (input == null) {
                throw new UsageException("--input: required with --source files; name a folder holding orders.jsonl, behavior.jsonl, payments.jsonl");
            }
            if (!Files.isDirectory(input)) {
                throw new UsageException("--input: " + input + " is not a folder; name a folder holding orders.jsonl, behavior.jsonl, payments.jsonl");
            }
        } else if (values.containsKey(INPUT.name())) {
            throw new UsageException("--input: only used with --source files; add --source files or drop --input");
        }
        onlyWith(SourceKind.GENERATOR, RATE, SEED, DURATION);
        onlyWith(SourceKind.KAFKA, KAFKA_BOOTSTRAP, KAFKA_GROUP, TOPIC_ORDERS, TOPIC_BEHAVIOR, TOPIC_PAYMENTS, KAFKA_START,
                KAFKA_STOP);
        if (source == SourceKind.KAFKA && get(KAFKA_BOOTSTRAP) == null) {
            throw new UsageException("--kafka-bootstrap: required with --source kafka; give host:port of a broker");
        }
    }

    /** Options that mean something with one source only are refused with another, not silently ignored. */
    private void onlyWith(SourceKind kind, Option<?>... options) throws UsageException {
        if (source() == kind) {
            return;
        }
        String label = kind.name().toLowerCase(Locale.ROOT);
        for (Option<?> o : options) {
            if (values.containsKey(o.name())) {
                throw new UsageException("--" + o.name() + ": only used with --source " + label + "; drop it or use --source " + label);
            }
        }
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        return (T) values.get(option.name());
    }

    public <T> T getOrDefault(Option<T> option, T fallback) {
        T v = get(option);
        return v == null ? fallback : v;
    }

    public SourceKind source() {
        return getOrDefault(SOURCE, SourceKind.GENERATOR);
    }

    public Path input() { return get(INPUT); }
    public long rate() { return getOrDefault(RATE, 1000L); }
    public Long seed() { return get(SEED); }
    public Duration duration() { return get(DURATION); }
    public String kafkaBootstrap() { return get(KAFKA_BOOTSTRAP); }
    public String kafkaGroup() { return getOrDefault(KAFKA_GROUP, "pulse"); }
    public KafkaStart kafkaStart() { return getOrDefault(KAFKA_START, KafkaStart.COMMITTED); }
    public KafkaStop kafkaStop() { return getOrDefault(KAFKA_STOP, KafkaStop.NEVER); }

    /** The option that names a stream's topic, and so the topic itself. */
    public static Option<String> topicOption(StreamName stream) {
        switch (stream) {
            case ORDERS: return TOPIC_ORDERS;
            case BEHAVIOR: return TOPIC_BEHAVIOR;
            default: return TOPIC_PAYMENTS;
        }
    }

    public String topic(StreamName stream) {
        Option<String> o = topicOption(stream);
        return getOrDefault(o, o.defaultText());
    }

    public String jdbcUrl() { return get(JDBC_URL); }
    public String jdbcUser() { return getOrDefault(JDBC_USER, "pulse"); }
    public String jdbcPassword() { return jdbcPassword; }
    public String schema() { return getOrDefault(SCHEMA, "public"); }
    public Duration outOfOrderness() { return getOrDefault(OUT_OF_ORDERNESS, Duration.ofSeconds(5)); }
    public Duration idleTimeout() { return getOrDefault(IDLE_TIMEOUT, Duration.ofSeconds(30)); }
    public Duration allowedLateness() { return getOrDefault(ALLOWED_LATENESS, Duration.ofSeconds(60)); }
    public Duration emitInterval() { return getOrDefault(EMIT_INTERVAL, Duration.ofSeconds(1)); }
    public Duration sessionGap() { return getOrDefault(SESSION_GAP, Duration.ofMinutes(30)); }
    public Duration maxFuture() { return getOrDefault(MAX_FUTURE, Duration.ofHours(1)); }
    public Duration dedupeHorizon() { return getOrDefault(DEDUPE_HORIZON, Duration.ofMinutes(5)); }
    public Duration paidOnceHorizon() { return getOrDefault(PAID_ONCE_HORIZON, Duration.ofHours(1)); }
    public int topN() { return getOrDefault(TOP_N, 10); }
    /** The metric tables asked for, or null for all. */
    public List<String> tables() { return get(TABLES); }
    public Integer parallelism() { return get(PARALLELISM); }

    /** The backend asked for, or null: the cluster's configuration decides (bin/pulse: heap). */
    public StateBackend stateBackend() { return get(STATE_BACKEND); }
    /** Whether the input never ends: the generator without {@code --duration}, Kafka with {@code --kafka-stop never}. */
    public boolean unbounded() {
        return switch (source()) {
            case GENERATOR -> duration() == null;
            case KAFKA -> kafkaStop() == KafkaStop.NEVER;
            case FILES -> false;
        };
    }
    /** The dashboard port as given (null: the default, {@code 8088}, or any free port when that is busy). */
    public Integer dashboardPort() { return get(DASHBOARD_PORT); }

    /** A copy with one option replaced, for launchers that fill in what they started (e.g. the embedded database). */
    public <T> PulseOptions with(Option<T> option, T value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(option.name(), value);
        return new PulseOptions(Collections.unmodifiableMap(copy), jdbcPassword);
    }

    /** The options table, as printed by --help and kept in the README. */
    public static String helpTable() {
        StringBuilder sb = new StringBuilder();
        for (Option<?> o : ALL) {
            sb.append(String.format(Locale.ROOT, "  --%-18s %-22s %s%n", o.name(),
                    o.defaultText() == null ? "-" : o.defaultText(), o.description()));
        }
        sb.append("  The JDBC password is read from the environment variable ").append(PASSWORD_ENV).append('.');
        return sb.toString();
    }

    /** Options as given, for logs: never includes the password, which is not an option at all. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add("--" + k + " " + (v instanceof Duration d ? Durations.format(d)
                : k.equals(JDBC_URL.name()) ? JdbcUrl.target((String) v) : v)));
        return String.join(" ", parts);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String v) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("'" + v + "' is not one of " + String.join(", ", names));
    }

    private static long positiveLong(String v) {
        return wholeNumber(v, 1, Long.MAX_VALUE, "must be greater than 0");
    }

    private static int intInRange(String v, int min, int max) {
        return (int) wholeNumber(v, min, max, "is out of range; give a whole number from " + min + " to " + max);
    }

    /** Range-checked before narrowing: a cast would wrap 4294967297 round to 1. */
    private static long wholeNumber(String v, long min, long max, String outOfRange) {
        String t = v.trim();
        if (!WHOLE_NUMBER.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException tooManyDigits) {
            n = t.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
            if (n >= min && n <= max) {
                throw new IllegalArgumentException("'" + v + "' is too large; give at most " + max);
            }
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("'" + v + "' " + outOfRange);
        }
        return n;
    }

    private static Duration positiveDuration(String v) {
        Duration d = Durations.parse(v);
        if (d.isZero()) {
            throw new IllegalArgumentException("'" + v + "' must be longer than 0");
        }
        return d;
    }

    private static Duration nonNegativeDuration(String v) {
        return Durations.parse(v);
    }

    private static String jdbcUrl(String v) {
        JdbcUrl.parse(v);
        return v;
    }

    private static List<String> identifiers(String v) {
        List<String> names = new java.util.ArrayList<>();
        for (String name : v.split(",", -1)) {
            names.add(identifier(name.strip()));
        }
        return List.copyOf(names);
    }

    private static String identifier(String v) {
        if (!IDENTIFIER.matcher(v).matches()) {
            throw new IllegalArgumentException("'" + v + "' is not a plain lower-case SQL identifier (letters, digits, _)");
        }
        return v;
    }

    private static String message(RuntimeException e, String text) {
        if (e instanceof NumberFormatException) {
            return "'" + text + "' is not a number";
        }
        return e.getMessage() == null ? "'" + text + "' is not valid" : e.getMessage();
    }
}
