package dev.pulse;

import dev.pulse.config.PulseOptions;
import dev.pulse.events.BehaviorEvent;
import dev.pulse.events.DeadLetter;
import dev.pulse.events.Envelope;
import dev.pulse.events.LateEvent;
import dev.pulse.events.OrderEvent;
import dev.pulse.events.PaymentEvent;
import dev.pulse.events.StreamName;
import dev.pulse.orders.OrderAccumulator;
import dev.pulse.orders.OrderFact;
import dev.pulse.metric.SinkTable;
import dev.pulse.orders.OrderTotals;
import dev.pulse.sink.JdbcSettings;
import dev.pulse.source.EventWatermarks;
import dev.pulse.source.FileSources;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job graph as main builds it: Flink-native serialisation everywhere, an explicit uid on every operator. */
class JobGraphTest {
    private static final dev.pulse.events.EventParser PARSER = new dev.pulse.events.EventParser(java.time.Duration.ofHours(1));
    /** Records between operators and state: the metric tables' rows come from their descriptors. */
    private static final List<Class<?>> RECORD_TYPES = java.util.stream.Stream.concat(Stream.of(Envelope.class,
            OrderEvent.class, BehaviorEvent.class, PaymentEvent.class, DeadLetter.class, LateEvent.class, OrderFact.class,
            OrderAccumulator.class, OrderTotals.class, dev.pulse.sliding.GmvPane.class, dev.pulse.sliding.ProductPane.class,
            dev.pulse.sliding.ProductPanes.class, dev.pulse.sessions.SessionAccumulator.class,
            dev.pulse.sessions.SessionSummary.class, dev.pulse.sessions.SessionDelta.class,
            dev.pulse.sessions.UserSessions.class, dev.pulse.sessions.OpenSession.class, dev.pulse.active.UserMarks.class,
            dev.pulse.window.WindowMarks.class,
            dev.pulse.sessions.SessionHourTotals.class, dev.pulse.payments.PaymentFact.class,
            dev.pulse.payments.PaymentTotals.class, dev.pulse.active.ActiveDelta.class,
            dev.pulse.retention.CohortDelta.class, dev.pulse.paths.TransitionDelta.class,
            dev.pulse.paths.RecentEvents.class), Metrics.tables().stream().map(SinkTable::rowType)).toList();

    private static StreamExecutionEnvironment environment() {
        return StreamExecutionEnvironment.getExecutionEnvironment(PulseJob.requiredConfiguration());
    }

    @Test
    void genericTypesAreDisabledSoKryoCannotSneakIn() {
        SerializerConfig config = environment().getConfig().getSerializerConfig();
        assertThat(config.hasGenericTypesDisabled()).isTrue();
        assertThatThrownBy(() -> new GenericTypeInfo<>(Object.class).createSerializer(config))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void everyRecordAndStateTypeIsAPojoWithoutGenericFields() {
        SerializerConfig config = environment().getConfig().getSerializerConfig();
        for (Class<?> type : RECORD_TYPES) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
            for (int i = 0; i < pojo.getArity(); i++) {
                assertThat(pojo.getPojoFieldAt(i).getTypeInformation())
                        .as(type.getSimpleName() + "." + pojo.getPojoFieldAt(i).getField().getName())
                        .isNotInstanceOf(GenericTypeInfo.class);
            }
            info.createSerializer(config); // throws for any Kryo-backed part
        }
    }

    @Test
    void theWholeJobBuildsWithAnExplicitUidOnEveryOperator(@TempDir Path dir) throws Exception {
        StreamGraph graph = wholeJob(dir);

        assertThat(graph.getStreamNodes()).isNotEmpty();
        for (StreamNode node : graph.getStreamNodes()) {
            assertThat(node.getTransformationUID()).as(node.getOperatorName()).isNotBlank();
        }
        assertThat(graph.getStreamNodes()).extracting(StreamNode::getTransformationUID)
                .contains("orders-dedupe-marks", "orders-late-filter", "order-metrics-1m", "order-metrics-1h", "order-metrics-1d");
    }

    /**
     * Savepoints map state by uid, and a changed edge or parallelism changes what a restored operator receives: the
     * graph (uid, name, parallelism, downstream uids) stays as released, listed in {@code job-graph.txt}.
     */
    @Test
    void theOperatorsTheirNamesAndEdgesStayAsReleased(@TempDir Path dir) throws Exception {
        StreamGraph graph = wholeJob(dir);
        List<String> lines = new java.util.ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            lines.add(node.getTransformationUID() + " | " + node.getOperatorName() + " | " + node.getParallelism() + " ->"
                    + node.getOutEdges().stream().map(e -> graph.getStreamNode(e.getTargetId()).getTransformationUID())
                    .sorted().distinct().map(uid -> " " + uid).collect(java.util.stream.Collectors.joining(",")));
        }
        java.util.Collections.sort(lines);
        String expected = new String(JobGraphTest.class.getResourceAsStream("/job-graph.txt").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(String.join("\n", lines)).isEqualTo(expected.strip());
    }

    /** One network shuffle of behaviour by user; every family's per-user step runs in the task that receives it. */
    @Test
    void thePerUserStepsChainOntoOneShuffleByUser(@TempDir Path dir) throws Exception {
        List<String> vertices = new java.util.ArrayList<>();
        wholeJob(dir).getJobGraph().getVertices().forEach(v -> vertices.add(v.getName()));
        assertThat(vertices).filteredOn(name -> name.contains("behavior by user")).singleElement().asString()
                .contains("active users: first event per user and window", "active users: add up per row",
                        "funnel steps", "retention: cohort and active days per user", "path transitions per user",
                        "sessions per user");
    }

    /** One network shuffle of orders by buyer; the per-buyer steps of order_metrics and gmv_sliding run in its task. */
    @Test
    void thePerBuyerStepsChainOntoOneShuffleOfOrdersByUser(@TempDir Path dir) throws Exception {
        List<String> vertices = new java.util.ArrayList<>();
        wholeJob(dir).getJobGraph().getVertices().forEach(v -> vertices.add(v.getName()));
        assertThat(vertices).filteredOn(name -> name.contains("orders by user")).singleElement().asString()
                .contains("order facts, new buyers marked", "paid orders as gmv panes, new buyers marked");
    }

    /** --tables builds only the families of the tables named; a name that is no table exits 2 naming the option. */
    @Test
    void onlyTheFamiliesOfTheTablesAskedForAreBuilt(@TempDir Path dir) throws Exception {
        List<String> uids = new java.util.ArrayList<>();
        wholeJob(dir, "--tables", "funnel_metrics,gmv_sliding").getStreamNodes()
                .forEach(n -> uids.add(n.getTransformationUID()));
        assertThat(uids).contains("funnel-metrics-rows", "active-users-user-marks", "gmv-sliding-5m", "top-products-5m",
                "dead-letters-sink").doesNotContain("active-users-rows", "sessions-per-user", "order-metrics-1m",
                "retention-rows", "path-transitions-rows", "payment-metrics-1m");
        assertThatThrownBy(() -> Metrics.checkTables(List.of("order_metrics", "orders")))
                .isInstanceOf(dev.pulse.config.UsageException.class)
                .hasMessageStartingWith("--tables: orders is no metric table; give some of order_metrics,");
    }

    private static StreamGraph wholeJob(Path dir, String... args) throws Exception {
        StreamExecutionEnvironment env = environment();
        env.setParallelism(2);
        PulseOptions options = PulseOptions.parse(args, Map.of());
        PulseJob.Sources sources = new PulseJob.Sources(FileSources.of(dir, StreamName.ORDERS, PARSER),
                FileSources.of(dir, StreamName.BEHAVIOR, PARSER), FileSources.of(dir, StreamName.PAYMENTS, PARSER),
                EventWatermarks.bounded(Duration.ofSeconds(5)), null);
        PulseJob.defineWorkflow(env, sources, Main.sinks(new JdbcSettings("jdbc:postgresql://localhost:1/none", "u", null, "public")), options);
        return env.getStreamGraph();
    }

    @Test
    void aForgottenUidFailsWhenTheGraphIsBuilt() {
        StreamExecutionEnvironment env = environment();
        env.fromData(1, 2, 3).uid("numbers").map(i -> i + 1).uid("plus-one").map(i -> i * 2).print().uid("print");
        assertThatThrownBy(env::getStreamGraph).hasMessageContaining("UID");
    }
}
