package io.logferry.sink.kafka;

import io.logferry.batch.Confirmation;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.kafka.LineRecords;
import io.logferry.offset.PendingRange;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns a batch into Kafka records ({@link LineRecords}) and sends them, as one transaction with the file offsets
 * the batch reaches, or plainly. Lines larger than a request may be are dead-lettered, once per batch, before
 * anything is sent; a line the broker refuses as too large is dead-lettered after the failed attempt, and the
 * rest is sent again.
 */
final class LineTransactions {

    /** Exchange property: the prepared records of a batch, kept across redeliveries. */
    private static final String PREPARED = "CamelLogferryKafkaPrepared";
    /** Bytes a record needs besides its key, value and path: Kafka's record and batch headers, generously. */
    private static final int RECORD_OVERHEAD = 128;

    /** A batch ready to send: its lines, those already dead-lettered, and the end of each file's range. */
    static final class Batch {
        private final List<LogLine> lines;
        private final BitSet skip = new BitSet();
        private final Map<String, Long> ends;
        private final ConcurrentLinkedQueue<Integer> tooLarge = new ConcurrentLinkedQueue<>();
        private String keepFailed;

        Batch(List<LogLine> lines, Map<String, Long> ends) {
            this.lines = lines;
            this.ends = ends;
        }

        int size() {
            return lines.size() - skip.cardinality();
        }

        /** Nothing left to write: every line is in Kafka or dead-lettered, and no file offset moves. */
        boolean isEmpty() {
            return size() == 0 && ends.isEmpty();
        }

        /** The offset keys of the files this batch moves. */
        Set<String> files() {
            return ends.keySet();
        }

        /** Why lines to dead-letter could not be kept (the batch must be retried), or null. */
        String keepFailed() {
            return keepFailed;
        }
    }

    private final String topic;
    private final LinePartitions.By partitionBy;
    private final OffsetsTopic offsets;
    private final int maxRecordBytes;
    private final OversizeLines oversize;

    LineTransactions(String topic, LinePartitions.By partitionBy, OffsetsTopic offsets, int maxRecordBytes,
                     OversizeLines oversize) {
        this.topic = topic;
        this.partitionBy = partitionBy;
        this.offsets = offsets;
        this.maxRecordBytes = maxRecordBytes;
        this.oversize = oversize;
    }

    /** The batch's records, prepared once per exchange: lines no request can carry are dead-lettered now. */
    Batch prepare(Exchange exchange, LogBatch batch) {
        Batch prepared = exchange.getProperty(PREPARED, Batch.class);
        if (prepared != null && prepared.keepFailed == null) {
            return prepared;
        }
        prepared = new Batch(batch.lines(), fileEnds(batch));
        for (int i = 0; i < prepared.lines.size(); i++) {
            LogLine line = prepared.lines.get(i);
            if (line.length() + line.path().length() + 64 + RECORD_OVERHEAD > maxRecordBytes) {
                prepared.tooLarge.add(i);
            }
        }
        keepTooLarge(prepared, "the line is larger than max.request.size " + maxRecordBytes + " bytes");
        exchange.setProperty(PREPARED, prepared);
        return prepared;
    }

    /** After a failed attempt: dead-letters the lines the broker refused as too large, so the rest can go. */
    void dropTooLarge(Batch batch, Exception failure) {
        if (!batch.tooLarge.isEmpty() || failure instanceof RecordTooLargeException) {
            keepTooLarge(batch, "the broker refused the record as too large (message.max.bytes)");
        }
    }

    /**
     * Skips the lines the offsets topic shows in Kafka already, and the file ends it holds already (writing one
     * would move a file's offset back). Returns how many lines were skipped.
     */
    int skipCommitted(Batch batch, CommittedOffsets committed) {
        if (committed.isEmpty()) {
            return 0;
        }
        Map<String, Long> inKafka = new HashMap<>(); // by file identity: lines carry it, offset keys end in it
        batch.ends.entrySet().removeIf(end -> {
            long offset = committed.of(end.getKey());
            if (offset >= 0) {
                inKafka.put(identity(end.getKey()), offset);
            }
            return offset >= end.getValue();
        });
        if (inKafka.isEmpty()) {
            return 0;
        }
        int before = batch.skip.cardinality();
        for (int i = 0; i < batch.lines.size(); i++) {
            LogLine line = batch.lines.get(i);
            Long offset = inKafka.get(line.fingerprint());
            // committed offsets fall on line boundaries: a line that starts below one ends at or below it
            if (offset != null && line.offset() < offset) {
                batch.skip.set(i);
            }
        }
        return batch.skip.cardinality() - before;
    }

    /** True when the offsets topic shows the batch's transaction committed: each of its files is at its end. */
    boolean committed(Batch batch, Map<String, Long> inKafka) {
        return !batch.ends.isEmpty() && batch.ends.entrySet().stream()
                .allMatch(end -> end.getValue().equals(inKafka.get(end.getKey())));
    }

    /**
     * Sends the batch's lines; in a transaction, with the file offsets, committed before this returns, else
     * flushed and confirmed. Throws what Kafka threw; the caller closes the producer.
     */
    void send(KafkaProducer<byte[], byte[]> producer, Batch batch, int partitions, boolean transaction)
            throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        // per send: a redelivery may run on another thread than the sink's
        LinePartitions partition = new LinePartitions(partitionBy, partitions);
        if (transaction) {
            producer.beginTransaction();
        }
        String lastPath = null;
        // shared by the records of one path: the producer only reads a record's headers (and marks them read-only)
        RecordHeaders path = null;
        LogLine lastFile = null;
        byte[] keyPrefix = null;
        for (int i = 0; i < batch.lines.size(); i++) {
            if (batch.skip.get(i)) {
                continue;
            }
            LogLine line = batch.lines.get(i);
            if (!Objects.equals(line.path(), lastPath)) {
                lastPath = line.path();
                path = new RecordHeaders(new Header[] {new RecordHeader(LineRecords.PATH_HEADER,
                        lastPath.getBytes(StandardCharsets.UTF_8))});
            }
            // lines come in runs of one file: their keys share a prefix
            if (lastFile == null || !Objects.equals(line.fingerprint(), lastFile.fingerprint())
                    || !Objects.equals(line.source(), lastFile.source())) {
                lastFile = line;
                keyPrefix = LineRecords.keyPrefix(line.source(), line.fingerprint());
            }
            byte[] key = LineRecords.key(keyPrefix, line.offset());
            byte[] value = Arrays.copyOfRange(line.chunk(), line.start(), line.start() + line.length());
            int index = i;
            producer.send(new ProducerRecord<>(topic, partition.of(line, key), line.readMillis(), key, value, path),
                    (metadata, e) -> failed(batch, index, e, failure));
        }
        if (transaction) {
            batch.ends.forEach((file, end) -> producer.send(offsets.record(file, end),
                    (metadata, e) -> failed(batch, -1, e, failure)));
            producer.commitTransaction();
        } else {
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private void keepTooLarge(Batch batch, String reason) {
        BitSet refused = new BitSet();
        for (Integer i; (i = batch.tooLarge.poll()) != null; ) {
            if (i >= 0) {
                refused.set(i);
            }
        }
        refused.andNot(batch.skip);
        if (refused.isEmpty()) {
            return;
        }
        batch.keepFailed = oversize.keep(refused.stream().mapToObj(batch.lines::get).toList(), reason);
        if (batch.keepFailed == null) {
            batch.skip.or(refused);
        }
    }

    private static void failed(Batch batch, int index, Exception e, AtomicReference<Exception> failure) {
        if (e == null) {
            return;
        }
        if (e instanceof RecordTooLargeException) {
            batch.tooLarge.add(index);
        }
        failure.compareAndSet(null, e);
    }

    /** The file identity an offset key ends in ({@code <route>/<identity>}, as the tail builds it). */
    private static String identity(String offsetKey) {
        return offsetKey.substring(offsetKey.lastIndexOf('/') + 1);
    }

    /** The end of each file's last range in the batch; ranges of a file come in order. */
    private static Map<String, Long> fileEnds(LogBatch batch) {
        Map<String, Long> ends = new LinkedHashMap<>();
        for (Confirmation confirmation : batch.confirmations()) {
            if (confirmation instanceof PendingRange range) {
                ends.merge(range.key(), range.end(), Math::max);
            }
        }
        return ends;
    }
}
