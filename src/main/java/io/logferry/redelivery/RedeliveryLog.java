package io.logferry.redelivery;

import io.logferry.batch.BatchConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.LoggerFactory;

/**
 * Runs before each redelivery of a batch (the error handler's {@code onRedeliveryRef}) and reports it,
 * rate-limited per route. The retries meter is counted where the batch completes (OffsetCommitter).
 */
public final class RedeliveryLog implements Processor {

    private final RateLimitedLog log;

    public RedeliveryLog(long intervalMillis) {
        this.log = new RateLimitedLog(LoggerFactory.getLogger(RedeliveryLog.class), intervalMillis);
    }

    @Override
    public void process(Exchange exchange) {
        String route = Failures.route(exchange);
        log.warn(route, () -> "Route " + route + ": delivery of " + Failures.lines(exchange) + " line(s) to the "
                + exchange.getProperty(BatchConstants.SINK, "unknown", String.class) + " sink failed ("
                + Failures.reason(exchange) + "); redelivery "
                + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + " of "
                + exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class));
    }
}
