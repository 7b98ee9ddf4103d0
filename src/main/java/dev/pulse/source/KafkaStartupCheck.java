package dev.pulse.source;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.UsageException;
import dev.pulse.events.StreamName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before the job is built: the brokers at {@code --kafka-bootstrap} answer, and every topic exists. Left to the
 * Kafka source, an unreachable broker or a missing topic is a job that retries or waits quietly forever; here it
 * is exit 2 with one line naming the option, the address and the fix.
 */
public final class KafkaStartupCheck {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private KafkaStartupCheck() {}

    /** The three topics of the options, by the option that names each. */
    public static Map<String, String> topics(PulseOptions options) {
        Map<String, String> topics = new LinkedHashMap<>();
        for (StreamName s : StreamName.values()) {
            topics.put(PulseOptions.topicOption(s).name(), options.topic(s));
        }
        return topics;
    }

    public static void check(String bootstrap, Map<String, String> topicsByOption, Duration timeout) throws UsageException {
        try (Admin admin = admin(bootstrap, timeout)) {
            Set<String> existing = existingTopics(admin, bootstrap, timeout);
            for (Map.Entry<String, String> e : topicsByOption.entrySet()) {
                if (!existing.contains(e.getValue())) {
                    throw new UsageException("--" + e.getKey() + ": topic '" + e.getValue() + "' does not exist at "
                            + bootstrap + "; create it (bin/pulse-produce creates missing topics) or set --"
                            + e.getKey() + " to an existing topic");
                }
            }
        }
    }

    /** An admin client whose every call gives up after {@code timeout}; a bad address list is a usage mistake. */
    public static Admin admin(String bootstrap, Duration timeout) throws UsageException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "pulse-startup-check");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try {
            return Admin.create(props);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UsageException("--kafka-bootstrap: '" + bootstrap + "' cannot be used (" + firstLine(cause)
                    + "); give host:port[,host:port] of reachable brokers");
        }
    }

    /** The topic names at the brokers, or exit 2 when no broker answers in time. */
    public static Set<String> existingTopics(Admin admin, String bootstrap, Duration timeout) throws UsageException {
        try {
            // A second of slack: the admin call's own timeout should fire first, with its reason.
            return admin.listTopics().names().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("--kafka-bootstrap: interrupted while reaching Kafka at " + bootstrap);
        } catch (TimeoutException | ExecutionException e) {
            if (e instanceof TimeoutException || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new UsageException("--kafka-bootstrap: no Kafka broker answered at " + bootstrap + " within "
                        + timeout.toSeconds() + " s; start the broker or give the right host:port");
            }
            throw new UsageException("--kafka-bootstrap: Kafka at " + bootstrap + " refused to list topics ("
                    + firstLine(e.getCause()) + "); check the address and the client's permissions");
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.split("\\R")[0];
    }
}
