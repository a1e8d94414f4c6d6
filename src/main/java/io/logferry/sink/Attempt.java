package io.logferry.sink;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One send attempt of one exchange's batch, and the {@link SinkResult} its sink settles. A second settlement is
 * a bug in the sink: it is logged and ignored, so an exchange is never completed twice. Knows whether it was
 * settled before the sink's send returned, which Camel must be told.
 */
final class Attempt implements SinkResult {

    private static final Logger LOG = LoggerFactory.getLogger(Attempt.class);
    private static final int SENDING = 0;
    private static final int RETURNED = 1;
    private static final int SETTLED_WHILE_SENDING = 2;

    private final Sink sink;
    private final Exchange exchange;
    private final AsyncCallback callback;
    private final int lines;
    private final long bytes;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<SinkOutcome.Final> outcome = new AtomicReference<>();
    private final AtomicInteger phase = new AtomicInteger(SENDING);

    Attempt(Sink sink, Exchange exchange, AsyncCallback callback, int lines, long bytes) {
        this.sink = sink;
        this.exchange = exchange;
        this.callback = callback;
        this.lines = lines;
        this.bytes = bytes;
    }

    @Override
    public void done(SinkOutcome.Final result) {
        if (result == null || !outcome.compareAndSet(null, result)) {
            LOG.error("Sink {} settled a batch twice (first {}, then {}): the second outcome is ignored",
                    sink.describe(), outcome.get(), result, new IllegalStateException("settled twice"));
            return;
        }
        sink.settle(this, result);
        if (!phase.compareAndSet(SENDING, SETTLED_WHILE_SENDING)) {
            callback.done(false);
        }
    }

    /** The sink's send returned: true if it settled before that (Camel is then told it completed in place). */
    boolean settledWhileSending() {
        return !phase.compareAndSet(SENDING, RETURNED);
    }

    boolean isOpen() {
        return outcome.get() == null;
    }

    Exchange exchange() {
        return exchange;
    }

    int lines() {
        return lines;
    }

    long bytes() {
        return bytes;
    }

    long nanosSinceStart() {
        return System.nanoTime() - startNanos;
    }
}
