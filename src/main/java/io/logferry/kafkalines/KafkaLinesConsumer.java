package io.logferry.kafkalines;

import io.logferry.kafka.KafkaProblems;
import io.logferry.redelivery.RateLimitedLog;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the topic on its own thread and hands each poll to the route as one batch, synchronously, so there is
 * never more than one batch in flight: its offsets are committed (commitSync) only after the route delivered it,
 * and a batch that failed is read again from its first record after {@code retryDelay}. Reads with
 * {@code isolation.level=read_committed}: lines of transactions tail-to-kafka aborted never arrive. A rebalance
 * or a crash between delivery and commit hands the same records to a loader again, which the store's unique
 * origin key turns into a no-op: every line is stored exactly once.
 */
public class KafkaLinesConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLinesConsumer.class);
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 10_000);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_RETRY_DELAY = 30_000;

    private final KafkaLinesConfiguration config;
    private volatile boolean running;
    private KafkaConsumer<byte[], byte[]> consumer;
    private ExecutorService thread;
    private KafkaLinesHealthCheck health;
    private long sampledAtNanos;
    private long undeliveredDelay;

    public KafkaLinesConsumer(KafkaLinesEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.config = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Properties props = config.clientProperties(getRouteId());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.getGroupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "logferry-" + getRouteId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.getMaxPollRecords()));
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.getTopic()));
        health = new KafkaLinesHealthCheck(getRouteId(), config.client().bootstrapServers(), config.getTopic());
        HealthCheckRegistry registry = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (registry != null) {
            registry.register(health);
        }
        undeliveredDelay = config.getRetryDelay();
        running = true;
        thread = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "kafka-lines-" + getRouteId());
        thread.execute(this::run);
        LOG.info("Route {} reads topic {} at {} in group {}", getRouteId(), config.getTopic(),
                config.client().bootstrapServers(), config.getGroupId());
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.shutdown();
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Route {}: the Kafka reader did not stop within 30 s", getRouteId());
            }
            thread = null;
        }
        HealthCheckRegistry registry = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (registry != null && health != null) {
            registry.unregister(health);
        }
        super.doStop();
    }

    private void run() {
        try {
            while (running) {
                try {
                    pollOnce();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // a bug must not end the reading thread while the route looks alive
                    LOG.error("Route {}: reading {} failed unexpectedly; trying again", getRouteId(),
                            config.getTopic(), e);
                    pause(config.getRetryDelay());
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            String reason = KafkaProblems.explain(e, config.client());
            health.failed(reason);
            FAILURES.warn(getRouteId(), () -> "Route " + getRouteId() + ": reading " + config.getTopic()
                    + " failed (" + reason + "); trying again");
            pause(config.getRetryDelay());
            return;
        }
        sample();
        if (records.isEmpty()) {
            return;
        }
        PolledRecords polled = new PolledRecords(records);
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(polled.batch());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (polled.wasDelivered() && !exchange.isFailed()) {
            commit(polled);
            undeliveredDelay = config.getRetryDelay();
        } else {
            // not delivered (the route's error handling said why): read the same records again, backing off
            // while the store keeps refusing; the store ignores any that did get in
            polled.firstOffsets().forEach(consumer::seek);
            long delay = undeliveredDelay;
            FAILURES.warn(getRouteId() + "-undelivered", () -> "Route " + getRouteId() + ": "
                    + polled.batch().size() + " line(s) of " + config.getTopic() + " not delivered; reading them"
                    + " again in " + delay + " ms");
            pause(delay);
            undeliveredDelay = Math.max(config.getRetryDelay(), Math.min(2 * delay, MAX_RETRY_DELAY));
        }
        releaseExchange(exchange, false);
    }

    /** Tells the readiness check, about once a second, whether the client holds a connection to the cluster. */
    private void sample() {
        long now = System.nanoTime();
        if (now - sampledAtNanos < SAMPLE_NANOS && sampledAtNanos != 0) {
            return;
        }
        sampledAtNanos = now;
        boolean connected = false;
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if ("connection-count".equals(name.name()) && "consumer-metrics".equals(name.group())
                    && metric.getValue().metricValue() instanceof Double count && count > 0) {
                connected = true;
            }
        }
        health.polled(connected, consumer.assignment().size());
    }

    private void commit(PolledRecords polled) {
        try {
            consumer.commitSync(polled.nextOffsets());
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // the partitions moved to another loader, which reads them from the last commit: the store's
            // origin key ignores the lines it gets twice
            LOG.info("Route {}: offsets not committed ({}); whoever reads those records next reads them again and"
                    + " the store ignores the copies", getRouteId(), e.getMessage());
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
