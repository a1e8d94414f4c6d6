package io.logferry.sink.datadog;

import io.logferry.sink.BatchDelivery;

/**
 * One POST to the intake: the batch lines it carries (indices into its delivery's lines) and its body, ready to
 * send (compressed when gzip is on). Used by one sender thread at a time.
 */
final class DatadogRequest {

    final BatchDelivery delivery;
    final int[] lines;
    final byte[] body;
    final int uncompressedBytes;
    int attempts;

    DatadogRequest(BatchDelivery delivery, int[] lines, byte[] body, int uncompressedBytes) {
        this.delivery = delivery;
        this.lines = lines;
        this.body = body;
        this.uncompressedBytes = uncompressedBytes;
    }

    int entries() {
        return lines.length;
    }

    @Override
    public String toString() {
        return "DatadogRequest[logs=" + lines.length + ", bytes=" + uncompressedBytes + ", attempts=" + attempts + "]";
    }
}
