package io.logferry.redelivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * A step of the shared error handling that reports a failed batch, rate-limited per route: before each
 * redelivery ({@code onRedeliveryRef}), and when the retries are spent. The retries meter is counted where the
 * batch completes (OffsetCommitter), so that every retry is counted whether or not it is logged.
 */
public final class FailureLog implements Processor {

    private final RateLimitedLog log;
    private final Function<Exchange, String> message;

    private FailureLog(String name, long intervalMillis, Function<Exchange, String> message) {
        this.log = new RateLimitedLog(LoggerFactory.getLogger(FailureLog.class.getName() + "." + name),
                intervalMillis);
        this.message = message;
    }

    /** Reports a redelivery about to happen. */
    public static FailureLog redelivery(long intervalMillis) {
        return new FailureLog("redelivery", intervalMillis, exchange -> "Route " + Failures.route(exchange)
                + ": delivery of " + Failures.lines(exchange) + " line(s) to the " + Failures.sink(exchange) + " sink failed ("
                + Failures.reason(exchange) + "); redelivery " + redeliveries(exchange) + " of "
                + exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class));
    }

    /** Reports a batch whose retryable failure outlasted its redeliveries: it stays failed and is read again. */
    public static FailureLog retriesSpent(long intervalMillis) {
        return new FailureLog("exhausted", intervalMillis, exchange -> "Route " + Failures.route(exchange) + ": "
                + Failures.lines(exchange) + " line(s) were not delivered to the " + Failures.sink(exchange) + " sink after "
                + (1 + redeliveries(exchange)) + " attempt(s) (" + Failures.reason(exchange)
                + "); they stay in their files and are read again");
    }

    @Override
    public void process(Exchange exchange) {
        log.warn(Failures.route(exchange), () -> message.apply(exchange));
    }

    private static int redeliveries(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
    }
}
