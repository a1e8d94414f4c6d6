package io.logferry.sink.hec;

import java.util.Arrays;
import java.util.List;

/**
 * The options of a Splunk HTTP Event Collector sink, set as bean properties from the {@code tail-to-hec}
 * template ({@code configuration.<option>}). Each setter documents its option.
 */
public final class HecConfiguration {

    private List<String> urls = List.of();
    private String token;
    private HecEndpoint endpoint = HecEndpoint.EVENT;
    private String index = "";
    private String sourcetype = "";
    private String source = "";
    private String host = "";
    private String overrides = "";
    private String caFile = "";
    private boolean tlsVerify = true;
    private boolean gzip;
    private int maxEvents = 1000;
    private int maxBytes = 1_000_000;
    private boolean ack;
    private long ackPollInterval = 250;
    private long ackTimeout = 60_000;
    private int maxAckResends = 5;
    private long inflightBytes;
    private int maxPendingRequests = 64;
    private int concurrency = 4;
    private int rotateSessionAfter;
    private long connectTimeout = 10_000;
    private long requestTimeout = 30_000;

    /** Base URLs of the collectors, comma-separated, e.g. {@code https://splunk-1:8088,https://splunk-2:8088}. */
    public void setUrl(String url) {
        this.urls = Arrays.stream(url.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s).toList();
    }

    public List<String> urls() {
        return urls;
    }

    /** The HEC token (secret; put it in a property or {@code {{env:HEC_TOKEN}}}, never in a shared file). */
    public void setToken(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** {@code event} (JSON events with time and metadata, the default) or {@code raw} (lines as they are). */
    public void setEndpoint(String endpoint) {
        this.endpoint = HecEndpoint.of(endpoint);
    }

    public HecEndpoint endpoint() {
        return endpoint;
    }

    /** Index of every event; empty leaves it to the token's default index. */
    public void setIndex(String index) {
        this.index = index.strip();
    }

    public String index() {
        return index;
    }

    /** Sourcetype of every event; empty leaves it to Splunk. */
    public void setSourcetype(String sourcetype) {
        this.sourcetype = sourcetype.strip();
    }

    public String sourcetype() {
        return sourcetype;
    }

    /** Source of every event; empty (the default) sends the path of the file the line came from. */
    public void setSource(String source) {
        this.source = source.strip();
    }

    public String source() {
        return source;
    }

    /** Host of every event; empty (the default) sends the line's source id (this machine's host name). */
    public void setHost(String host) {
        this.host = host.strip();
    }

    public String host() {
        return host;
    }

    /**
     * Per-file metadata, {@code ;}-separated rules {@code glob: key=value, key=value} with keys index,
     * sourcetype, source and host; the first rule whose glob matches the file wins (a glob with a '/' matches
     * the path, else the file name). Example: {@code nginx/*.log: sourcetype=nginx, index=web; auth.log:
     * sourcetype=linux_secure}.
     */
    public void setOverrides(String overrides) {
        this.overrides = overrides.strip();
    }

    public String overrides() {
        return overrides;
    }

    /** PEM file of the CA(s) that signed the collectors' certificates; empty uses the JVM's trust store. */
    public void setCaFile(String caFile) {
        this.caFile = caFile.strip();
    }

    public String caFile() {
        return caFile;
    }

    /** Verify the collectors' certificates and host names (default true; false logs a warning at start). */
    public void setTlsVerify(boolean tlsVerify) {
        this.tlsVerify = tlsVerify;
    }

    public boolean tlsVerify() {
        return tlsVerify;
    }

    /** Compress request bodies with gzip (default false: costs CPU, saves bandwidth about 10×). */
    public void setGzip(boolean gzip) {
        this.gzip = gzip;
    }

    public boolean gzip() {
        return gzip;
    }

    /** Most events in one request (default 1000). */
    public void setMaxEvents(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    public int maxEvents() {
        return maxEvents;
    }

    /** Most bytes in one request body before compression (default 1,000,000, Splunk's old max_content_length). */
    public void setMaxBytes(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Indexer acknowledgement: offsets move only when Splunk confirms the events are indexed (default false). */
    public void setAck(boolean ack) {
        this.ack = ack;
    }

    public boolean ack() {
        return ack;
    }

    /** Milliseconds between polls of {@code /services/collector/ack} (default 250). */
    public void setAckPollInterval(long ackPollInterval) {
        this.ackPollInterval = ackPollInterval;
    }

    public long ackPollInterval() {
        return ackPollInterval;
    }

    /**
     * Milliseconds to wait for an acknowledgement before the request is sent again (default 60000). Each further
     * resend of the same request waits twice as long as the one before, at most an hour.
     */
    public void setAckTimeout(long ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public long ackTimeout() {
        return ackTimeout;
    }

    /**
     * Resends of one request whose acknowledgement never comes (default 5). After that the request is not sent
     * again blindly: it stays pending (its last ack id is still polled), readiness is DOWN and a warning is
     * logged once per interval, until its ack comes or an operator acts. 0 never resends.
     */
    public void setMaxAckResends(int maxAckResends) {
        this.maxAckResends = maxAckResends;
    }

    public int maxAckResends() {
        return maxAckResends;
    }

    /**
     * The route's read-ahead bound (the tail's {@code maxInflightBytes}; 0 = unknown), so the sink can say when
     * it is too small for indexer acknowledgement: unacknowledged lines count against it until their ack comes.
     */
    public void setInflightBytes(long inflightBytes) {
        this.inflightBytes = inflightBytes;
    }

    public long inflightBytes() {
        return inflightBytes;
    }

    /** Requests sent or queued but not yet confirmed (acked) before the sink stops taking batches (default 64). */
    public void setMaxPendingRequests(int maxPendingRequests) {
        this.maxPendingRequests = maxPendingRequests;
    }

    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    /** Requests in flight at once, each on its own connection (default 4). */
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public int concurrency() {
        return concurrency;
    }

    /**
     * Open a new session (connection, cookies, ack channel) after this many requests, so a load balancer
     * spreads the load across indexers; 0 (the default) keeps a session until it fails.
     */
    public void setRotateSessionAfter(int rotateSessionAfter) {
        this.rotateSessionAfter = rotateSessionAfter;
    }

    public int rotateSessionAfter() {
        return rotateSessionAfter;
    }

    /** Milliseconds to wait for a connection (default 10000). */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long connectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds to wait for a response before the request counts as failed and is retried (default 30000). */
    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public long requestTimeout() {
        return requestTimeout;
    }

    /** Rejects contradictory or missing options with a sentence that says what to fix. */
    void validate() {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("The HEC sink needs a url, e.g. https://splunk.example:8088");
        }
        for (String url : urls) {
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new IllegalArgumentException("HEC url " + url + " must start with https:// (or http://)");
            }
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("The HEC sink needs a token: set the template parameter token, e.g."
                    + " to {{env:HEC_TOKEN}}");
        }
        requirePositive("maxEvents", maxEvents);
        requirePositive("maxBytes", maxBytes);
        requirePositive("concurrency", concurrency);
        requirePositive("maxPendingRequests", maxPendingRequests);
        requirePositive("ackPollInterval", ackPollInterval);
        requirePositive("ackTimeout", ackTimeout);
        if (maxAckResends < 0) {
            throw new IllegalArgumentException("HEC maxAckResends must be 0 or positive, was " + maxAckResends);
        }
        if (rotateSessionAfter < 0) {
            throw new IllegalArgumentException("HEC rotateSessionAfter must be 0 (never) or positive, was "
                    + rotateSessionAfter);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("HEC " + name + " must be positive, was " + value);
        }
    }

    @Override
    public String toString() {
        // Never the token.
        return "HEC " + endpoint.path() + " at " + String.join(",", urls) + (ack ? " with ack" : "");
    }
}
