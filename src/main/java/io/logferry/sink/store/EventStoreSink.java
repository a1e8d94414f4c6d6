package io.logferry.sink.store;

import io.logferry.batch.LogBatch;
import io.logferry.sink.Sink;
import io.logferry.sink.SinkHealth;
import io.logferry.sink.SinkOutcome;
import io.logferry.sink.SinkResult;
import io.logferry.sink.SinkStoppedException;
import org.apache.camel.Exchange;

import java.sql.SQLException;

/**
 * The event store as a tail sink: each batch is one transaction of its {@link EventStoreWriter} (options on
 * {@link #getStore()}, {@code store.url} and so on in the route template). Synchronous: the batch is settled
 * before {@link #send} returns, and the body becomes the number of rows inserted. A database error is a passing
 * problem (retried, offsets stay); the store never refuses a line for good, because its unique key turns any
 * resend into a no-op.
 */
public final class EventStoreSink extends Sink {

    private final EventStoreWriter store = new EventStoreWriter();
    private volatile String problem;

    public EventStoreSink() {
        super("store");
    }

    public EventStoreWriter getStore() {
        return store;
    }

    @Override
    protected SinkHealth startSink() {
        store.start();
        problem = null;
        return builder -> {
            builder.detail("store", store.endpoint());
            String now = problem;
            if (now == null) {
                builder.up();
            } else {
                builder.message("the last batch could not be stored: " + now).down();
            }
        };
    }

    @Override
    protected void stopSink() {
        store.stop();
    }

    @Override
    protected String endpoint() {
        return store.endpoint();
    }

    @Override
    protected void send(Exchange exchange, LogBatch batch, SinkResult result) {
        try {
            int rows = store.write(batch);
            problem = null;
            exchange.getMessage().setBody(rows);
            result.done(new SinkOutcome.Delivered());
        } catch (SQLException e) {
            problem = e.getMessage();
            result.done(new SinkOutcome.Retry(e.getMessage()));
        } catch (SinkStoppedException e) {
            result.done(new SinkOutcome.Stopped(e.getMessage()));
        }
    }

    @Override
    public String toString() {
        return "EventStoreSink[" + store.endpoint() + "]";
    }
}
