package io.logferry.sink.datadog;

/**
 * The options of a Datadog Logs sink, set as bean properties from the {@code tail-to-datadog} template
 * ({@code configuration.<option>}). Each setter documents its option. Limits follow Datadog's "Send logs"
 * API (v2): at most 1,000 entries and 5 MB uncompressed per request, 1 MB per log.
 */
public final class DatadogConfiguration {

    /** Datadog's documented limits of one request and one log (uncompressed bytes, 1 MB = 10^6). */
    static final int MAX_ENTRIES = 1000;
    static final int MAX_PAYLOAD_BYTES = 5_000_000;
    static final int MAX_LOG_BYTES = 1_000_000;

    private String site = "datadoghq.com";
    private String url = "";
    private String apiKey;
    private String source = "logferry";
    private String service = "";
    private String tags = "";
    private String hostname = "";
    private boolean gzip = true;
    private int compressionLevel = 1;
    private int maxEntries = MAX_ENTRIES;
    private int maxBytes = MAX_PAYLOAD_BYTES;
    private int maxLineLength;
    private int concurrency = 4;
    private long connectTimeout = 10_000;
    private long requestTimeout = 30_000;

    /**
     * The Datadog site of the organization: {@code datadoghq.com} (US1, default), {@code us3.datadoghq.com},
     * {@code us5.datadoghq.com}, {@code datadoghq.eu}, {@code ap1.datadoghq.com}, {@code ddog-gov.com}. Logs go
     * to {@code https://http-intake.logs.<site>}.
     */
    public void setSite(String site) {
        this.site = site == null ? "" : site.strip();
    }

    /** Base URL of the intake instead of the site's (a proxy, a test server); blank = from {@code site}. */
    public void setUrl(String url) {
        String u = url == null ? "" : url.strip();
        this.url = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** The base URL requests go to. */
    String baseUrl() {
        return url.isEmpty() ? "https://http-intake.logs." + site : url;
    }

    /** The API key (secret: give it as {@code {{env:DD_API_KEY}}}; sent as DD-API-KEY, never logged). */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey == null ? null : apiKey.strip();
    }

    String apiKey() {
        return apiKey;
    }

    /** {@code ddsource} of every log: the integration whose pipeline parses it (default {@code logferry}). */
    public void setSource(String source) {
        this.source = blankToEmpty(source);
    }

    String source() {
        return source;
    }

    /** {@code service} of every log; blank = the RFC 5424 APP-NAME of the line, if any. */
    public void setService(String service) {
        this.service = blankToEmpty(service);
    }

    String service() {
        return service;
    }

    /** {@code ddtags} of every log, comma-separated {@code key:value} ({@code env:prod,team:sec}); blank = none. */
    public void setTags(String tags) {
        this.tags = blankToEmpty(tags);
    }

    String tags() {
        return tags;
    }

    /** {@code hostname} of every log; blank = the line's RFC 5424 HOSTNAME, else its source id (this host). */
    public void setHostname(String hostname) {
        this.hostname = blankToEmpty(hostname);
    }

    String hostname() {
        return hostname;
    }

    /** Compress request bodies with gzip (default true, as Datadog recommends). */
    public void setGzip(boolean gzip) {
        this.gzip = gzip;
    }

    boolean gzip() {
        return gzip;
    }

    /**
     * gzip level from 1 (fastest, default) to 9 (smallest). Level 1 costs a fraction of the CPU of zlib's usual 6
     * for bodies about a fifth larger; Datadog counts logs uncompressed either way (bench/README.md).
     */
    public void setCompressionLevel(int compressionLevel) {
        this.compressionLevel = compressionLevel;
    }

    int compressionLevel() {
        return compressionLevel;
    }

    /** Most logs in one request (default and maximum 1000). */
    public void setMaxEntries(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    int maxEntries() {
        return maxEntries;
    }

    /** Most bytes of one request body before compression (default and maximum 5000000). */
    public void setMaxBytes(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }

    /** The tail's maxLineLength, checked against Datadog's 1 MB per log at start. */
    public void setMaxLineLength(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** Requests in flight at once (default 4). */
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    int concurrency() {
        return concurrency;
    }

    /** Milliseconds to wait for a connection (default 10000). */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    long connectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds to wait for a response (default 30000). */
    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    long requestTimeout() {
        return requestTimeout;
    }

    /** Rejects missing or impossible options with a sentence that says what to fix. */
    void validate() {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("The Datadog sink needs an API key: set the template parameter"
                    + " apiKey, e.g. to {{env:DD_API_KEY}}");
        }
        String base = baseUrl();
        if (!base.startsWith("https://") && !base.startsWith("http://")) {
            throw new IllegalArgumentException("Datadog url " + base + " must start with https:// (or http://)");
        }
        requireWithin("maxEntries", maxEntries, MAX_ENTRIES);
        requireWithin("maxBytes", maxBytes, MAX_PAYLOAD_BYTES);
        requireWithin("concurrency", concurrency, 64);
        requireWithin("compressionLevel", compressionLevel, 9);
        if (maxLineLength > MAX_LOG_BYTES / 2) {
            throw new IllegalArgumentException("Datadog takes at most 1 MB per log, and a line's JSON can be twice"
                    + " its length: set maxLineLength to " + MAX_LOG_BYTES / 2 + " or less (was " + maxLineLength
                    + "); longer lines are then split or truncated as longLines says");
        }
        if (connectTimeout <= 0 || requestTimeout <= 0) {
            throw new IllegalArgumentException("Datadog connectTimeout and requestTimeout must be positive");
        }
    }

    private static void requireWithin(String name, long value, long max) {
        if (value <= 0 || value > max) {
            throw new IllegalArgumentException("Datadog " + name + " must be from 1 to " + max + ", was " + value);
        }
    }

    private static String blankToEmpty(String s) {
        return s == null || s.isBlank() ? "" : s.strip();
    }

    @Override
    public String toString() {
        // Never the API key.
        return "Datadog Logs at " + baseUrl() + (gzip ? " (gzip)" : "");
    }
}
