package dev.pulse.bench;

import dev.pulse.config.UsageException;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The command line of {@code bin/pulse-bi-bench}. */
record BenchOptions(List<String> args, int days, double rate, int clients, double seconds, double warmup,
                    String driver, double refreshEvery, Path out, Path home, List<BiBench.Question> questions,
                    boolean keep, boolean help) {

    static final String USAGE = String.join("\n",
            "usage: bin/pulse-bi-bench [--smoke] [--days 30] [--rate 0.5] [--clients 32] [--seconds 15] [--warmup 3]",
            "                          [--driver auto|pgbench|jdbc] [--refresh-every 60] [--queries a,b,...]",
            "                          [--out target/bench/bi.json] [--home target/bench/home] [--keep]",
            "  --smoke     1 day, 4 clients, 2 s per query, 0.5 s warm-up, materialized views refreshed every 5 s",
            "  --days      days of window rows in the sink tables and of raw events (ending at the current minute)",
            "  --rate      raw orders per second (2 order events each; 5 behaviour events per order event; ~1.08",
            "              payment attempts per order); the sink rows describe the same shop",
            "  --driver    pgbench (-M prepared, per-transaction log) or JDBC threads; auto: pgbench when on the PATH",
            "  --queries   a subset of: " + String.join(",", BiBench.names()),
            "  --keep      keep the database under --home/pgdata afterwards");

    static BenchOptions parse(String[] argv) throws UsageException {
        boolean smoke = List.of(argv).contains("--smoke");
        int days = smoke ? 1 : 30;
        double rate = 0.5;
        int clients = smoke ? 4 : 32;
        double seconds = smoke ? 2 : 15;
        double warmup = smoke ? 0.5 : 3;
        double refresh = smoke ? 5 : 60;
        String driver = "auto";
        Path out = Paths.get("target/bench/bi.json");
        Path home = Paths.get("target/bench/home");
        List<BiBench.Question> questions = BiBench.QUESTIONS;
        boolean keep = false;
        boolean help = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--smoke": break;
                case "--keep": keep = true; break;
                case "-h": case "--help": help = true; break;
                case "--days": days = (int) number(a, value(argv, ++i, a), 1, 366); break;
                case "--rate": rate = number(a, value(argv, ++i, a), 0.001, 1000); break;
                case "--clients": clients = (int) number(a, value(argv, ++i, a), 1, 500); break;
                case "--seconds": seconds = number(a, value(argv, ++i, a), 0.1, 3600); break;
                case "--warmup": warmup = number(a, value(argv, ++i, a), 0, 3600); break;
                case "--refresh-every": refresh = number(a, value(argv, ++i, a), 1, 3600); break;
                case "--out": out = Paths.get(value(argv, ++i, a)); break;
                case "--home": home = Paths.get(value(argv, ++i, a)); break;
                case "--driver": {
                    driver = value(argv, ++i, a);
                    if (!List.of("auto", "pgbench", "jdbc").contains(driver)) {
                        throw new UsageException("--driver: " + driver + " is not one of auto, pgbench, jdbc");
                    }
                    break;
                }
                case "--queries": {
                    List<BiBench.Question> picked = new ArrayList<>();
                    for (String name : value(argv, ++i, a).split(",")) {
                        BiBench.Question q = BiBench.QUESTIONS.stream().filter(x -> x.name().equals(name.trim())).findFirst()
                                .orElseThrow(() -> new UsageException("--queries: no query named '" + name + "' (known: "
                                        + String.join(",", BiBench.names()) + ")"));
                        picked.add(q);
                    }
                    questions = List.copyOf(picked);
                    break;
                }
                default: throw new UsageException("unknown option " + a);
            }
        }
        return new BenchOptions(List.of(argv), days, rate, clients, seconds, warmup, driver, refresh, out, home, questions,
                keep, help);
    }

    private static String value(String[] argv, int i, String option) throws UsageException {
        if (i >= argv.length) {
            throw new UsageException(option + " needs a value");
        }
        return argv[i];
    }

    private static double number(String option, String text, double min, double max) throws UsageException {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + text + "' is not a number");
        }
        if (!(v >= min && v <= max)) {
            throw new UsageException(String.format(Locale.ROOT, "%s: %s is not between %s and %s", option, text, min, max));
        }
        return v;
    }
}
