package io.logferry.redelivery;

import io.logferry.batch.BatchConstants;
import org.apache.camel.Exchange;

/** What the error handler's steps say about a failed batch: its route, its sink, its size and the error. */
public final class Failures {

    private Failures() {
    }

    public static String route(Exchange exchange) {
        return exchange.getFromRouteId() == null ? "unknown" : exchange.getFromRouteId();
    }

    /** The kind of sink the batch reached (the sink names itself on the exchange). */
    public static String sink(Exchange exchange) {
        return exchange.getProperty(BatchConstants.SINK, "unknown", String.class);
    }

    /** Lines of the batch as it reached its sink. */
    public static int lines(Exchange exchange) {
        return exchange.getProperty(BatchConstants.BATCH_SIZE, 0, Integer.class);
    }

    /** The error being handled, as class and message. */
    public static String reason(Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            return "unknown error";
        }
        String message = error.getMessage() == null ? "" : ": " + error.getMessage();
        return error.getClass().getSimpleName() + message;
    }
}
