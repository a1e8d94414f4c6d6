package io.logferry.hec;

/**
 * One HTTP request to the collector: which lines of its delivery it carries (in order, so a rejected event
 * number maps back to its line), the encoded body and, for the raw endpoint, the metadata query string.
 * Confined to one thread at a time: the lane that sends it, then the poller that waits for its ack.
 */
final class HecRequest {

    final Delivery delivery;
    final int[] lines;
    final byte[] body;
    final int uncompressedBytes;
    final String query;
    /** Whether this request holds one of the sink's pending-request permits, returned when it settles. */
    boolean holdsPermit;
    int attempts;
    long ackDeadlineNanos;

    HecRequest(Delivery delivery, int[] lines, byte[] body, int uncompressedBytes, String query) {
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
        return "HecRequest[events=" + lines.length + ", bytes=" + uncompressedBytes + ", attempts=" + attempts + "]";
    }
}
