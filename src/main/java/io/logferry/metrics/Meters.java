package io.logferry.metrics;

/**
 * Every meter logferry registers, named in one place (Prometheus names: Micrometer adds {@code _total} to
 * counters and {@code _seconds} to timers). Tags are bounded: {@code route} (a route id) and {@code sink} (the
 * template's sink: store, hec, ...); never a path or a certificate name.
 */
public final class Meters {

    /** Lines the sink confirmed (stored, acked, or durably dead-lettered), by route and sink. */
    public static final String EVENTS_SENT = "logferry.events.sent";
    /** Lines of batches that failed (they are read again from their files), by route and sink. */
    public static final String EVENTS_FAILED = "logferry.events.failed";
    /** Lines the sink refused for good and the dead-letter store kept, by route and sink. */
    public static final String EVENTS_DEAD_LETTERED = "logferry.events.dead.lettered";
    /**
     * Lines dropped on purpose, by route, sink and reason ({@code deadletters-full}: the oldest dead letters,
     * removed at the store's limit with {@code logferry.deadletters.when-full=drop-oldest}).
     */
    public static final String EVENTS_DROPPED = "logferry.events.dropped";
    /** Aggregated batches delivered, by route and sink. */
    public static final String BATCHES_SENT = "logferry.batches.sent";
    /** Aggregated batches that failed after their redeliveries, by route and sink. */
    public static final String BATCHES_FAILED = "logferry.batches.failed";
    /** From the batch reaching its sink to its confirmation (histogram), by route and sink. */
    public static final String SEND_LATENCY = "logferry.send.latency";
    /** Redeliveries of a batch and resends of a request, by route. */
    public static final String RETRIES = "logferry.retries";
    /** Batches between the tail and their confirmation, by route. */
    public static final String INFLIGHT_BATCHES = "logferry.inflight.batches";
    /** Bytes read but not yet confirmed, by route. */
    public static final String INFLIGHT_BYTES = "logferry.inflight.bytes";
    /** Bytes in followed files not yet confirmed by the sink (file size minus committed offset), by route. */
    public static final String TAIL_LAG_BYTES = "logferry.tail.lag.bytes";
    /**
     * Lines longer than maxLineLength that the tail cut to that length ({@code longLines=truncate}); the rest
     * of each such line is dropped on purpose, by route.
     */
    public static final String TAIL_LINES_TRUNCATED = "logferry.tail.lines.truncated";
    /** Files the tail follows, by route. */
    public static final String TAIL_FILES = "logferry.tail.files";
    /** 1 while the route's last batch was delivered, 0 after a failure, by route and sink. */
    public static final String SINK_UP = "logferry.sink.up";
    /** Seconds the oldest line read but not confirmed has waited for its sink (0: none waits), by route and sink. */
    public static final String SINK_OLDEST_UNCONFIRMED = "logferry.sink.oldest.unconfirmed";
    /** One send attempt of a batch, from the sink taking it to its outcome (histogram), by route, sink, outcome. */
    public static final String SINK_SEND = "logferry.sink.send";
    /** Lines by the outcome of their send attempt (delivered, retry, unauthorized, rejected, stopped,
     * circuit_open), by route, sink and outcome. */
    public static final String SINK_EVENTS = "logferry.sink.events";
    /**
     * Lines a sink that takes Unicode only (HEC, Datadog) sent with U+FFFD in place of bytes that were not
     * well-formed UTF-8, by route and sink.
     */
    public static final String SINK_LINES_REPLACED = "logferry.sink.lines.replaced";
    /** Time the sink's health check took (histogram), by route and sink. */
    public static final String SINK_HEALTH_CHECK = "logferry.sink.health.check";
    /** 1 while the sink's health check was UP when it last ran, else 0, by route and sink. */
    public static final String SINK_HEALTHY = "logferry.sink.healthy";
    /** The sink's circuit breaker: 0 closed, 1 open, 2 half-open, by route and sink. */
    public static final String SINK_CIRCUIT_STATE = "logferry.sink.circuit.state";
    /** Share of the sink's last 100 send attempts that were delivered, by route and sink. */
    public static final String SINK_SUCCESS_RATIO = "logferry.sink.success.ratio";
    /** Lines handed to the sink and not yet settled, by route and sink. */
    public static final String SINK_INFLIGHT_LINES = "logferry.sink.inflight.lines";
    /** Bytes handed to the sink and not yet settled, by route and sink. */
    public static final String SINK_INFLIGHT_BYTES = "logferry.sink.inflight.bytes";
    /** HEC requests the collector accepted whose indexer acknowledgement has not come yet, by route. */
    public static final String HEC_UNACKNOWLEDGED_REQUESTS = "logferry.hec.unacknowledged.requests";
    /** Seconds the oldest accepted HEC request has waited for its acknowledgement (0: none waits), by route. */
    public static final String HEC_OLDEST_UNACKNOWLEDGED = "logferry.hec.oldest.unacknowledged";

    /** Frames a syslog forwarder wrote again after a reconnect (a logferry listener drops repeats), by route. */
    public static final String SYSLOG_FRAMES_RESENT = "logferry.syslog.frames.resent";
    /** TLS connections a listener accepted (handshake done, client certificate verified), by route. */
    public static final String LISTENER_CONNECTIONS_ACCEPTED = "logferry.listener.connections.accepted";
    /** Connections a listener refused or closed before the handshake ended, by route and reason. */
    public static final String LISTENER_CONNECTIONS_REFUSED = "logferry.listener.connections.refused";
    /** Accepted connections the listener closed (idle timeout, framing violation, error), by route and reason. */
    public static final String LISTENER_CONNECTIONS_CLOSED = "logferry.listener.connections.closed";
    /** Connections open on a listener, by route. */
    public static final String LISTENER_CONNECTIONS_ACTIVE = "logferry.listener.connections.active";
    /** Frames a listener stored, by route. */
    public static final String LISTENER_FRAMES_STORED = "logferry.listener.frames.stored";
    /** Frames a listener dropped because their origin was stored before (a forwarder's resend), by route. */
    public static final String LISTENER_FRAMES_DUPLICATE = "logferry.listener.frames.duplicate";
    /** Frames whose origin offset does not fit a long (stored without deduplication), by route. */
    public static final String LISTENER_ORIGINS_INVALID = "logferry.listener.origins.invalid";
    /**
     * Times a listener stopped reading a connection, by route and reason: backlog (too much waits to be stored),
     * rate (its source is over maxLinesPerSecond/maxBytesPerSecond), quota (over maxIngestBytes).
     */
    public static final String LISTENER_READING_PAUSED = "logferry.listener.reading.paused";
    /** Framing violations that closed a connection (the frames in it are not stored), by route and reason. */
    public static final String LISTENER_FRAMES_REJECTED = "logferry.listener.frames.rejected";

    public static final String ROUTE = "route";
    public static final String REASON = "reason";
    public static final String SINK = "sink";
    public static final String OUTCOME = "outcome";

    /** The outcome tag of a delivered attempt. */
    public static final String DELIVERED = "delivered";
    /** The outcome tag of a batch refused by the open circuit without a send. */
    public static final String CIRCUIT_OPEN = "circuit_open";

    private Meters() {
    }
}
