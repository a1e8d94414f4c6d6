package io.logferry.runtime;

import io.logferry.batch.BatchAggregationStrategy;
import io.logferry.deadletter.DeadLetterHealthCheck;
import io.logferry.deadletter.DeadLetterLimit;
import io.logferry.deadletter.DeadLetterStore;
import io.logferry.deadletter.DeadLetterWriter;
import io.logferry.health.PausedRoutesRepository;
import io.logferry.health.StallChecks;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.metrics.TailMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.camel.StartupListener;
import io.logferry.offset.OffsetCommitter;
import io.logferry.offset.SqliteOffsetStore;
import io.logferry.offset.UnconfirmedBatches;
import io.logferry.redelivery.FailureLog;
import io.logferry.tail.TailComponent;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;

import java.nio.file.Path;

/**
 * The beans the shipped route templates refer to: the offset store and the dead-letter store (opened now, so a
 * locked or damaged database stops start-up before any route runs), the batch aggregation strategy, the commit
 * step, the steps of the shared error handling and the sink thread pool profile, the readiness rule for paused
 * routes; and remote JMX when {@code logferry.jmx.remote.enabled} is set.
 */
public final class LogferryConfiguration implements CamelConfiguration {

    /** Thread pool profile of the sink side of each template's Aggregator ({@code executorService}). */
    public static final String SINK_POOL = "logferrySink";
    /** Bean name of the {@link UnconfirmedBatches} the stop sequence reports. */
    static final String UNCONFIRMED = "unconfirmedBatches";
    private static final int SINK_QUEUE = 10_000;

    @Override
    public void configure(CamelContext context) throws Exception {
        Path offsetsDb = Path.of(context.resolvePropertyPlaceholders("{{logferry.offsets.db-path}}"));
        SqliteOffsetStore offsets = new SqliteOffsetStore(offsetsDb);
        offsets.start();
        // Added as a service, it is stopped after the routes, so the last commits are saved.
        context.addService(offsets, true, false);
        context.getRegistry().bind("offsetStore", offsets);
        ManagementPortCheck.check(context);
        Path deadLettersDb = Path.of(context.resolvePropertyPlaceholders("{{logferry.deadletters.db-path}}"));
        DeadLetterStore deadLetters = new DeadLetterStore(deadLettersDb);
        deadLetters.start();
        context.addService(deadLetters, true, false);
        context.getRegistry().bind("deadLetters", deadLetters);
        context.getRegistry().bind("batchAggregation", new BatchAggregationStrategy());
        // Camel's Prometheus service binds its registry as metricsRegistry while the context starts; logferry's
        // meters live in a composite that joins it then, so one scrape shows both.
        CompositeMeterRegistry meterRegistry = new CompositeMeterRegistry();
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                MeterRegistry camelRegistry = started.getRegistry().lookupByNameAndType("metricsRegistry",
                        MeterRegistry.class);
                if (camelRegistry != null && !meterRegistry.getRegistries().contains(camelRegistry)) {
                    meterRegistry.add(camelRegistry);
                }
            }
        });
        PipelineMetrics metrics = new PipelineMetrics(meterRegistry);
        context.getRegistry().bind(PipelineMetrics.BEAN, metrics);
        long logInterval = Long.parseLong(context.resolvePropertyPlaceholders(
                "{{logferry.redelivery.log-interval:10000}}"));
        configureDeadLetters(context, deadLetters, metrics, logInterval);
        TailMeterBinder tailMeters = new TailMeterBinder(context, metrics);
        context.addLifecycleStrategy(tailMeters);
        UnconfirmedBatches unconfirmed = new UnconfirmedBatches();
        context.getRegistry().bind(UNCONFIRMED, unconfirmed);
        context.getRegistry().bind("commitOnDelivery", new OffsetCommitter(metrics, unconfirmed));
        context.getComponent("tail", TailComponent.class).setOffsetRepository(offsets);
        context.getComponent("tail", TailComponent.class).setListener(tailMeters);
        // One sink thread per Aggregator: the tail reads the next batches while the sink writes. The queue
        // must be positive (Camel turns 0 or -1 into a hand-off queue, and the tail would then write batches
        // itself); the tail's in-flight budget keeps it far below this bound.
        context.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(SINK_POOL)
                .poolSize(1).maxPoolSize(1).maxQueueSize(SINK_QUEUE).build());
        // a route stopped or suspended on purpose must not make logferry unready (Camel's checks say DOWN)
        PausedRoutesRepository.install(context);
        StallChecks.install(context, Long.parseLong(context.resolvePropertyPlaceholders(
                "{{logferry.stall.threshold:300}}")));
        JmxRemoteServer jmx = JmxRemoteServer.fromProperties(context);
        if (jmx != null) {
            context.addService(jmx, true, false);
        }
    }

    /** The dead-letter store's bound and health, and the steps of the shared error handling. */
    private static void configureDeadLetters(CamelContext context, DeadLetterStore deadLetters,
                                             PipelineMetrics metrics, long logInterval) throws Exception {
        deadLetters.setLimit(new DeadLetterLimit(
                Long.parseLong(context.resolvePropertyPlaceholders("{{logferry.deadletters.max-records:1000000}}")),
                DeadLetterLimit.dropsOldest(context.resolvePropertyPlaceholders(
                        "{{logferry.deadletters.when-full:wait}}")),
                (route, sink, lines) -> metrics.dropped(route, sink, "deadletters-full", lines), logInterval));
        // batches of replays a previous run had in flight when it stopped are resent
        deadLetters.replays().releaseClaims();
        DeadLetterHealthCheck.register(context, deadLetters);
        // the error handling's steps (routes/error-handling.camel.yaml)
        context.getRegistry().bind("deadLetterWriter", new DeadLetterWriter(deadLetters, metrics, logInterval));
        context.getRegistry().bind("redeliveryLog", FailureLog.redelivery(logInterval));
        context.getRegistry().bind("retriesSpent", FailureLog.retriesSpent(logInterval));
    }
}
