package io.logferry.redelivery;

import io.logferry.batch.BatchConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.LoggerFactory;

/**
 * The last step for a batch whose retryable failure outlasted its redeliveries: it reports, rate-limited per
 * route, that the lines stay in their files and will be read again. The batch stays failed, so its offsets
 * do not move (the error handling declares it not handled).
 */
public final class RetriesSpent implements Processor {

    private final RateLimitedLog log;

    public RetriesSpent(long intervalMillis) {
        this.log = new RateLimitedLog(LoggerFactory.getLogger(RetriesSpent.class), intervalMillis);
    }

    @Override
    public void process(Exchange exchange) {
        String route = Failures.route(exchange);
        log.warn(route, () -> "Route " + route + ": " + Failures.lines(exchange) + " line(s) were not delivered"
                + " to the " + exchange.getProperty(BatchConstants.SINK, "unknown", String.class) + " sink after "
                + (1 + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class))
                + " attempt(s) (" + Failures.reason(exchange) + "); they stay in their files and are read again");
    }
}
