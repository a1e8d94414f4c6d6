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
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            LogLine line = line(record);
            lines.add(line);
            bytes += line.length() + 1;
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            firstOffsets.putIfAbsent(partition, record.offset());
            nextOffsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
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

    private static LogLine line(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        Header pathHeader = record.headers().lastHeader(LineRecords.PATH_HEADER);
        String path = pathHeader == null ? record.topic() : new String(pathHeader.value(), StandardCharsets.UTF_8);
        LineRecords.Origin origin = LineRecords.origin(record.key());
        if (origin == null) {
            origin = new LineRecords.Origin("kafka:" + record.topic(), "partition-" + record.partition(),
                    record.offset());
        }
        return new LogLine(origin.source(), path, origin.fingerprint(), origin.offset(), value, 0, value.length,
                record.timestamp());
    }
}
