package io.logferry.kafkalines;

import io.logferry.batch.Confirmation;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.kafka.LineRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One poll's records as a batch of lines, and the answer its exchange gives ({@link Confirmation}): the
 * consumer commits the records' offsets only when they were delivered, and otherwise reads them again from
 * {@link #firstOffsets()}. A record logferry wrote keeps its origin key (source, fingerprint, offset), so a
 * store that already has the line ignores it; any other record gets one from its place in Kafka
 * ({@code kafka:<topic>}, {@code partition-<n>}, its offset).
 */
final class PolledRecords implements Confirmation {

    private final LogBatch batch;
    private final Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private volatile Boolean delivered;

    PolledRecords(ConsumerRecords<byte[], byte[]> records) {
        List<LogLine> lines = new ArrayList<>(records.count());
        LineRecords.OriginReader origins = new LineRecords.OriginReader();
        byte[] lastPath = null;
        String path = null;
        long bytes = 0;
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
            firstOffsets.put(partition, polled.get(0).offset());
            nextOffsets.put(partition, new OffsetAndMetadata(polled.get(polled.size() - 1).offset() + 1));
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Header pathHeader = record.headers().lastHeader(LineRecords.PATH_HEADER);
            if (pathHeader == null) {
                path = record.topic();
                lastPath = null;
            } else if (!Arrays.equals(pathHeader.value(), lastPath)) {
                lastPath = pathHeader.value();
                path = new String(lastPath, StandardCharsets.UTF_8);
            }
            LogLine line = line(record, origins.read(record.key()), path);
            lines.add(line);
            bytes += line.length() + 1;
        }
        batch = new LogBatch(lines, List.of(this), bytes);
    }

    LogBatch batch() {
        return batch;
    }

    /** Where each partition's committed offset moves once the lines are delivered. */
    Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        return nextOffsets;
    }

    /** Where each partition must be read again from when they were not. */
    Map<TopicPartition, Long> firstOffsets() {
        return firstOffsets;
    }

    /** True only when the exchange's completion said delivered. */
    boolean wasDelivered() {
        return Boolean.TRUE.equals(delivered);
    }

    @Override
    public void delivered() {
        delivered = true;
    }

    @Override
    public void failed() {
        delivered = false;
    }

    private static LogLine line(ConsumerRecord<byte[], byte[]> record, LineRecords.Origin origin, String path) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        if (origin == null) {
            origin = new LineRecords.Origin("kafka:" + record.topic(), "partition-" + record.partition(),
                    record.offset());
        }
        return new LogLine(origin.source(), path, origin.fingerprint(), origin.offset(), value, 0, value.length,
                record.timestamp());
    }
}
