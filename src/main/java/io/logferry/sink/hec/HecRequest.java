package io.logferry.sink.hec;

import io.logferry.sink.BatchDelivery;
/**
 * One HTTP request to the collector: which lines of its delivery it carries (in order, so a rejected event
 * number maps back to its line), the encoded body and, for the raw endpoint, the metadata query string.
 * Confined to one thread at a time: the lane that sends it, then the poller that waits for its ack (the
 * ack fields are written under the session's exchange lock).
 */
final class HecRequest {

    final BatchDelivery delivery;
    final int[] lines;
    final byte[] body;
    final int uncompressedBytes;
    final String query;
    /** Whether this request holds one of the sink's pending-request permits, returned when it settles. */
    boolean holdsPermit;
    int attempts;
    /** The collector the last attempt went to. */
    String sentTo = "";
    /** When the collector first accepted this request (0: never); kept across resends. */
    long firstAcceptedNanos;
    /** Resends because no acknowledgement came in time. */
    int ackResends;
    long ackDeadlineNanos;

    HecRequest(BatchDelivery delivery, int[] lines, byte[] body, int uncompressedBytes, String query) {
        this.delivery = delivery;
        this.lines = lines;
        this.body = body;
        this.uncompressedBytes = uncompressedBytes;
        this.query = query;
    }

    int events() {
        return lines.length;
    }

    @Override
    public String toString() {
        return "HecRequest[events=" + lines.length + ", bytes=" + uncompressedBytes + ", attempts=" + attempts
                + (ackResends > 0 ? ", ack resends=" + ackResends : "") + "]";
    }
}
