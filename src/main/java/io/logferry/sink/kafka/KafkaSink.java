package io.logferry.sink.kafka;

import io.logferry.batch.LogBatch;
import io.logferry.kafka.KafkaClientSettings;
import io.logferry.kafka.KafkaProblems;
import io.logferry.redelivery.RateLimitedLog;
import io.logferry.sink.Sink;
import io.logferry.sink.SinkHealth;
import io.logferry.sink.SinkOutcome;
import io.logferry.sink.SinkResult;
import org.apache.camel.Exchange;
import org.apache.camel.spi.StateRepository;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka as a tail sink ({@code tail-to-kafka}), through the Kafka client directly. With {@code exactlyOnce} (the
 * default) each batch is one Kafka transaction holding its lines and, in the compacted {@link OffsetsTopic}, the
 * file offsets it reaches; at start the sink reads those offsets back (read_committed) into the offset store
 * before the tail reads a byte, so a line is in Kafka once whatever moment the process died. A cluster that does
 * not answer at start does not stop the route: the tail reads from the local offsets, and once the cluster
 * answers, lines below the offsets it holds of files whose local offset lagged are skipped
 * ({@link CommittedOffsets}). Without exactly-once the
 * producer is idempotent but not transactional, and a crash resends what was unconfirmed (at most the tail's
 * {@code maxInflightBytes}).
 *
 * <p>Order is what makes the offsets true: a transaction may name offset N only when every earlier line of that
 * file is in Kafka. So in exactly-once mode a batch never goes back to Camel's redelivery (a later batch would
 * overtake it): the sink retries it itself, in place, with backoff (1 s doubling to 30 s) while later batches
 * wait, and after any failure it opens a new producer (fencing its own unfinished transaction) and asks the
 * offsets topic whether the batch's transaction was committed after all. The circuit breaker is off for the same
 * reason. A producer fenced by another instance with the same {@code transactionalId} stops writing for good:
 * readiness is DOWN and lines wait until the route restarts.
 */
public final class KafkaSink extends Sink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 10_000);
    private static final long MAX_BACKOFF = 30_000;
    /** The local offset the tail saves when it restarts a rewritten file (see {@code StartOffsets}). */
    private static final String REWRITTEN = "0";

    private final KafkaClientSettings client = new KafkaClientSettings();
    private String topic = "logs";
    private String offsetsTopic = "logferry-offsets";
    private String transactionalId;
    private boolean exactlyOnce = true;
    private String compression = "lz4";
    private String partitionBy = "file";
    private long timeout = 30_000;

    private Properties clientProperties;
    private Properties producerProperties;
    private OffsetsTopic offsets;
    private LineTransactions transactions;
    private final CommittedOffsets lagging = new CommittedOffsets();
    /** What the offsets topic held at the last connection (exactly-once mode). */
    private volatile Map<String, Long> inKafka = Map.of();
    /** The start did not reach the cluster: the tail began from local offsets that may lag behind Kafka's. */
    private volatile boolean startedWithoutOffsets;
    private volatile int partitions;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile boolean stopping;
    private volatile String problem;
    private volatile String fenced;
    private final Object backoff = new Object();

    public KafkaSink() {
        super("kafka");
        // an open circuit would send a batch back to redelivery while later ones go on: see the class comment
        getCircuit().setEnabled(false);
    }

    /** The cluster and how to reach it ({@code client.bootstrapServers}, {@code client.securityProtocol}, ...). */
    public KafkaClientSettings getClient() {
        return client;
    }

    /** The topic the lines go to. */
    public void setTopic(String topic) {
        this.topic = topic.strip();
    }

    /** The compacted topic of the file offsets (exactly-once mode); created when missing. */
    public void setOffsetsTopic(String offsetsTopic) {
        this.offsetsTopic = offsetsTopic.strip();
    }

    /** Unique per logferry instance and route; blank means {@code logferry-<host>-<route>}. */
    public void setTransactionalId(String transactionalId) {
        this.transactionalId = transactionalId == null || transactionalId.isBlank() ? null : transactionalId.strip();
    }

    public void setExactlyOnce(boolean exactlyOnce) {
        this.exactlyOnce = exactlyOnce;
    }

    /** none, gzip, snappy, lz4 or zstd. */
    public void setCompression(String compression) {
        this.compression = compression.strip().toLowerCase(Locale.ROOT);
    }

    /** file, source or line: see {@link LinePartitions}. */
    public void setPartitionBy(String partitionBy) {
        this.partitionBy = partitionBy;
    }

    /** Milliseconds the start, a send or a transaction may wait for the cluster before it counts as failed. */
    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    @Override
    protected SinkHealth startSink() throws Exception {
        stopping = false;
        problem = null;
        fenced = null;
        String id = transactionalId();
        clientProperties = client.toProperties(getRouteId());
        producerProperties = producerProperties(id);
        offsets = new OffsetsTopic(offsetsTopic, id);
        transactions = new LineTransactions(topic, LinePartitions.parse(partitionBy, getRouteId()), offsets,
                maxRecordBytes(), new OversizeLines(this, getCamelContext()));
        startedWithoutOffsets = false;
        try {
            producer = connect();
            if (exactlyOnce) {
                adopt(inKafka);
            }
        } catch (Exception e) {
            String refusal = KafkaProblems.refusal(e, client);
            if (refusal != null) {
                throw new IllegalStateException("Route " + getRouteId() + ": " + refusal, e);
            }
            if (!KafkaProblems.timedOut(e)) {
                throw e;
            }
            // the route starts all the same (other pipelines of this process must not wait for this cluster): the
            // tail reads from the local offsets, and lines Kafka holds already are skipped once it answers
            startedWithoutOffsets = exactlyOnce;
            problem = KafkaProblems.explain(e, client);
            LOG.warn("Route {}: Kafka at {} did not answer within kafkaTimeout ({} ms): {}; the route starts and"
                    + " sends once the cluster answers (check bootstrapServers and that the cluster is up)",
                    getRouteId(), client.bootstrapServers(), timeout, problem);
        }
        return builder -> {
            builder.detail("topic", topic);
            builder.detail("exactly.once", exactlyOnce);
            if (fenced != null) {
                builder.message(fenced).down();
            } else if (problem != null) {
                builder.message("Kafka refused or did not answer the last attempt: " + problem).down();
            } else {
                builder.up();
            }
        };
    }

    /**
     * Opens the producer and learns the topic's partitions; in exactly-once mode it first fences any transaction
     * of ours left open and then reads which lines the offsets topic says are in Kafka.
     */
    private KafkaProducer<byte[], byte[]> connect() throws Exception {
        if (exactlyOnce) {
            offsets.ensureExists(clientProperties, Duration.ofMillis(timeout));
        }
        KafkaProducer<byte[], byte[]> opened = open();
        try {
            partitions = partitionCount(opened);
            if (exactlyOnce) {
                inKafka = offsets.load(clientProperties, Duration.ofMillis(timeout));
            }
            return opened;
        } catch (Exception e) {
            opened.close(Duration.ZERO);
            throw e;
        }
    }

    @Override
    protected void stopSink() {
        stopping = true;
        synchronized (backoff) {
            backoff.notifyAll();
        }
        KafkaProducer<byte[], byte[]> open = producer;
        producer = null;
        if (open != null) {
            open.close(Duration.ofSeconds(5));
        }
    }

    @Override
    protected String endpoint() {
        return client + "/" + topic;
    }

    @Override
    protected void send(Exchange exchange, LogBatch batch, SinkResult result) {
        if (fenced != null) {
            result.done(new SinkOutcome.Retry(fenced));
            return;
        }
        LineTransactions.Batch records = transactions.prepare(exchange, batch);
        if (records.keepFailed() != null) {
            result.done(new SinkOutcome.Retry(records.keepFailed()));
        } else if (exactlyOnce) {
            result.done(sendInOrder(records));
        } else {
            result.done(sendOnce(records));
        }
    }

    /** At-least-once: one attempt; a failure goes back to the route's redelivery. */
    private SinkOutcome.Final sendOnce(LineTransactions.Batch records) {
        try {
            transactions.send(connected(), records, partitions, false);
            problem = null;
            return new SinkOutcome.Delivered();
        } catch (Exception e) {
            problem = KafkaProblems.explain(e, client);
            closeProducer();
            return KafkaProblems.refusal(e, client) != null ? new SinkOutcome.Unauthorized(problem)
                    : new SinkOutcome.Retry(problem);
        }
    }

    /**
     * Exactly-once: retried here until committed, fenced or stopped, so no later batch overtakes it. After a
     * failure the new connection reads the offsets topic again and a transaction that committed all the same is
     * not sent twice; after a start without the cluster, lines below the offsets it holds are skipped.
     */
    private SinkOutcome.Final sendInOrder(LineTransactions.Batch records) {
        long wait = 1000;
        boolean reconcile = false;
        while (!stopping) {
            try {
                KafkaProducer<byte[], byte[]> open = connected();
                if (reconcile && transactions.committed(records, inKafka)) {
                    LOG.info("Route {}: the transaction of a batch of {} line(s) was committed before the failure;"
                            + " not sent again", getRouteId(), records.size());
                } else {
                    int skipped = transactions.skipCommitted(records, lagging);
                    if (skipped > 0) {
                        LOG.info("Route {}: {} line(s) read from local offsets that lagged behind Kafka's are in"
                                + " Kafka already (offsets topic {}); not sent again", getRouteId(), skipped,
                                offsetsTopic);
                    }
                    if (!records.isEmpty()) {
                        transactions.send(open, records, partitions, true);
                    }
                }
                lagging.passed(records.files());
                problem = null;
                return new SinkOutcome.Delivered();
            } catch (Exception e) {
                closeProducer();
                if (KafkaFailures.fenced(e)) {
                    fenced = "Fenced by another producer with transactional id " + transactionalId() + ": another"
                            + " logferry instance uses the same id (give each instance its own transactionalId);"
                            + " this one stopped writing, its lines wait until the route is restarted";
                    LOG.error("Route {}: {}", getRouteId(), fenced);
                    return new SinkOutcome.Retry(fenced);
                }
                reconcile = true;
                transactions.dropTooLarge(records, e);
                problem = KafkaProblems.explain(e, client);
                long delay = wait;
                FAILURES.warn(getRouteId(), () -> "Route " + getRouteId() + ": Kafka transaction failed (" + problem
                        + "); trying the same batch again in " + delay + " ms, later batches wait");
                pause(wait);
                wait = Math.min(wait * 2, MAX_BACKOFF);
            }
        }
        return new SinkOutcome.Stopped("logferry is stopping; the batch is read again at the next start");
    }

    /** The open producer, or a new connection (which in exactly-once mode reads the offsets topic again). */
    private synchronized KafkaProducer<byte[], byte[]> connected() throws Exception {
        KafkaProducer<byte[], byte[]> open = producer;
        if (open == null) {
            if (stopping) {
                throw new IllegalStateException("the sink is stopping");
            }
            open = connect();
            producer = open;
            if (startedWithoutOffsets) {
                lagging.reset(laggingBehind(inKafka));
                startedWithoutOffsets = false;
            }
        }
        return open;
    }

    /** A new producer; in exactly-once mode its initTransactions fences and ends any earlier transaction of ours. */
    private KafkaProducer<byte[], byte[]> open() {
        KafkaProducer<byte[], byte[]> opened = new KafkaProducer<>(producerProperties, new ByteArraySerializer(),
                new ByteArraySerializer());
        if (exactlyOnce) {
            try {
                opened.initTransactions();
            } catch (KafkaException e) {
                opened.close(Duration.ZERO);
                throw e;
            }
        }
        return opened;
    }

    private synchronized void closeProducer() {
        KafkaProducer<byte[], byte[]> open = producer;
        producer = null;
        if (open != null) {
            open.close(Duration.ZERO);
        }
    }

    private void pause(long millis) {
        synchronized (backoff) {
            if (!stopping) {
                try {
                    backoff.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
        }
    }

    private int partitionCount(KafkaProducer<byte[], byte[]> opened) {
        try {
            return opened.partitionsFor(topic).size();
        } catch (KafkaException e) {
            throw new IllegalStateException("Route " + getRouteId() + ": cannot find topic " + topic + " at "
                    + client.bootstrapServers() + " (" + KafkaProblems.describe(e) + "); create it, or check"
                    + " bootstrapServers", e);
        }
    }

    /**
     * Writes the offsets the offsets topic holds into the offset store the tail starts from: a process killed
     * after a commit but before its local save would otherwise send those lines twice. A local offset of 0 was
     * saved by the tail when it found the file rewritten (copytruncate, a header line the same as before): the
     * value in Kafka then belongs to the old content and is not taken.
     */
    private void adopt(Map<String, Long> committed) {
        StateRepository<String, String> store = offsetStore();
        int adopted = 0;
        for (Map.Entry<String, Long> entry : committed.entrySet()) {
            String local = store.getState(entry.getKey());
            String value = Long.toString(entry.getValue());
            if (!value.equals(local) && !REWRITTEN.equals(local)) {
                store.setState(entry.getKey(), value);
                adopted++;
            }
        }
        LOG.info("Route {}: {} file offset(s) in Kafka topic {}, {} of them other than the local offsets and taken",
                getRouteId(), committed.size(), offsetsTopic, adopted);
    }

    /**
     * After a start without the cluster: the files whose offset in Kafka is beyond the local one the tail started
     * from (not those the tail found rewritten, see {@link #adopt}), so their lines below it are not sent twice.
     */
    private Map<String, Long> laggingBehind(Map<String, Long> committed) {
        StateRepository<String, String> store = offsetStore();
        Map<String, Long> behind = new HashMap<>();
        committed.forEach((key, offset) -> {
            String local = store.getState(key);
            if (!REWRITTEN.equals(local) && (local == null || Long.parseLong(local) < offset)) {
                behind.put(key, offset);
            }
        });
        LOG.info("Route {}: Kafka answers now; {} of its {} file offset(s) are beyond the local ones the tail started"
                + " from, and lines below them are not sent again", getRouteId(), behind.size(), committed.size());
        return behind;
    }

    private StateRepository<String, String> offsetStore() {
        @SuppressWarnings("unchecked")
        StateRepository<String, String> store = getCamelContext().getRegistry().lookupByNameAndType("offsetStore",
                StateRepository.class);
        if (store == null) {
            throw new IllegalStateException("No offset store (bean offsetStore) to start the tail from");
        }
        return store;
    }

    private Properties producerProperties(String id) {
        if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(compression)) {
            throw new IllegalArgumentException("Route " + getRouteId() + ": compression " + compression
                    + " is not one of none, gzip, snappy, lz4, zstd");
        }
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "logferry-" + getRouteId());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout, 15_000)));
        long delivery = Math.max(timeout, 15_010);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
        // well beyond how long the sink waits for a commit, so only another instance can fence this producer
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(Math.max(60_000, 3 * delivery)));
        if (exactlyOnce) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        }
        props.putAll(clientProperties);
        return props;
    }

    private int maxRecordBytes() {
        return Integer.parseInt(producerProperties.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576"));
    }

    private String transactionalId() {
        if (transactionalId != null) {
            return transactionalId;
        }
        try {
            return "logferry-" + InetAddress.getLocalHost().getHostName() + "-" + getRouteId();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Route " + getRouteId() + ": no host name for the default"
                    + " transactionalId; set transactionalId", e);
        }
    }

    @Override
    public String toString() {
        return "KafkaSink[" + endpoint() + "]";
    }
}
