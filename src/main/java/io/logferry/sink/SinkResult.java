package io.logferry.sink;

/**
 * How a sink settles one send attempt of a batch: exactly one {@link #done} with a final outcome, from any
 * thread, before or after {@link Sink#send} returned. The sink must not touch the batch or the exchange after it.
 */
@FunctionalInterface
public interface SinkResult {

    void done(SinkOutcome.Final outcome);
}
