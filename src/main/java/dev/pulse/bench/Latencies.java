package dev.pulse.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;

/** Latencies of one (design, query) run, in microseconds, and the errors seen. */
final class Latencies {
    private final long[] micros;
    private final long errors;
    private final String firstError;
    private final double seconds;

    /** {@code seconds}: how long the measured part ran (after the warm-up). */
    Latencies(long[] micros, long errors, String firstError, double seconds) {
        this.seconds = seconds;
        this.micros = micros.clone();
        Arrays.sort(this.micros);
        this.errors = errors;
        this.firstError = firstError;
    }

    long count() {
        return micros.length;
    }

    long errors() {
        return errors;
    }

    /** Nearest-rank percentile in milliseconds (NaN without samples). */
    double percentileMs(double p) {
        if (micros.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * micros.length);
        return micros[Math.max(0, Math.min(micros.length - 1, rank - 1))] / 1000.0;
    }

    double maxMs() {
        return micros.length == 0 ? Double.NaN : micros[micros.length - 1] / 1000.0;
    }

    double meanMs() {
        return micros.length == 0 ? Double.NaN : Arrays.stream(micros).average().orElse(0) / 1000.0;
    }

    double perSecond() {
        return count() / seconds;
    }

    void writeTo(ObjectNode r) {
        r.put("count", count());
        r.put("seconds", round(seconds, 2));
        r.put("errors", errors);
        if (firstError != null) {
            r.put("first_error", firstError);
        }
        r.put("per_second", round(perSecond(), 1));
        r.put("p50_ms", round(percentileMs(50), 3));
        r.put("p90_ms", round(percentileMs(90), 3));
        r.put("p99_ms", round(percentileMs(99), 3));
        r.put("max_ms", round(maxMs(), 3));
        r.put("mean_ms", round(meanMs(), 3));
    }

    static double round(double v, int digits) {
        if (Double.isNaN(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
