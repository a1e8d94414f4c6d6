package io.logferry.testsupport.datadog;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Datadog Logs intake for tests: {@code POST /api/v2/logs} as Datadog documents it, with faults a test
 * scripts through {@link #faults()}. It listens on 127.0.0.1 only.
 * <p>
 * Behaviour and where it is taken from:
 * <ul>
 * <li>"Send logs", https://docs.datadoghq.com/api/latest/logs/send-logs/ (the same text is the Javadoc of
 * {@code LogsApi.submitLog} in DataDog/datadog-api-client-java): limits per request of 5MB uncompressed
 * content, 1MB per log and 1000 entries per array; a log over 1MB "is accepted and truncated" with a 2xx
 * ({@link LogTruncator}); {@code Content-Encoding: gzip} recommended; statuses 202 accepted, 400 bad request
 * (payload formatting), 401 unauthorized (missing API key), 403 permission issue (invalid API key), 408 request
 * timeout, 413 payload too large (batch above 5MB uncompressed), 429 too many requests, 500 and 503, the last
 * four "should be retried after some time"; events "can be submitted with a timestamp that is up to 18 hours in
 * the past".</li>
 * <li>The API specification behind the clients (datadog-api-client-java and -typescript, {@code submitLog}):
 * header {@code DD-API-KEY} ({@code apiKeyAuth}), {@code Content-Encoding} one of {@code identity}, {@code gzip},
 * {@code deflate}, query parameter {@code ddtags}, body an array of {@code HTTPLogItem} ({@code ddsource},
 * {@code ddtags}, {@code hostname}, {@code message}, {@code service} and any other attributes); 202 "always 202
 * empty JSON"; every error status carries {@code HTTPLogErrors} ({@link IntakeErrors}).</li>
 * <li>"Log Date Remapper", https://docs.datadoghq.com/logs/log_configuration/processors/log_date_remapper/:
 * default date attributes and formats, and the window of 18 hours past to 2 hours future ({@link LogDates}).</li>
 * </ul>
 * Not documented, and chosen here: a single log object is accepted as well as an array (the specification
 * types the body as an array; the page speaks of "a single log request"); over 1000 entries is answered 413 (the
 * page names the limit, not the status); a log dated outside the window is accepted and stored, flagged
 * {@link DatadogLog#withinSubmissionWindow()} false (the page says what may be submitted, not what becomes of
 * the rest); 429 carries no {@code Retry-After} unless scripted with one (Datadog documents
 * {@code X-RateLimit-*} headers for rate-limited APIs, and says the logs API is not rate limited: "Rate Limits",
 * https://docs.datadoghq.com/api/latest/rate-limits/); "MB" is read as 10^6 bytes. Any {@code Content-Type} is
 * read as JSON.
 * <p>
 * The JDK server holds each response back ~40 ms (Nagle's algorithm meeting delayed ACKs) unless
 * {@code sun.net.httpserver.nodelay} is true when its configuration class initializes; this class sets it in
 * its static initializer, which is early enough as long as no JDK HTTP server was started in this JVM before.
 */
public final class FakeDatadogServer implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The API key a builder accepts when none is named (32 hex digits, like a Datadog API key). */
    public static final String DEFAULT_API_KEY = "0123456789abcdef0123456789abcdef";

    private final Builder config;
    private final ExecutorService executor;
    private final DatadogFaults faults = new DatadogFaults();
    private final ReceivedLogs received;
    private final IntakeTraffic traffic;
    private final IntakeHandler handler;
    private HttpServer server;
    private int port;

    private FakeDatadogServer(Builder b) throws IOException {
        this.config = b;
        this.received = new ReceivedLogs(b.retainLogs);
        this.traffic = new IntakeTraffic(b.retainLogs);
        Set<String> keys = b.apiKeys.isEmpty() ? Set.of(DEFAULT_API_KEY) : b.apiKeys;
        this.handler = new IntakeHandler(new ApiKeys(keys, faults),
                faults, new IntakeHandler.IntakeLimits(b.maxEntries, b.maxPayloadBytes, b.maxLogBytes), received,
                traffic);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, "fake-datadog-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        listen(b.port);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Stops listening, as in an outage: connections are refused until {@link #start()}. Logs are kept. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port after {@link #stop()}, with the logs, counts and faults as they were. */
    public synchronized void start() throws IOException {
        if (server == null) {
            listen(port);
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    private synchronized void listen(int onPort) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort);
        HttpServer created;
        if (config.keyStore == null) {
            created = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(config.keyStore, config.keyStorePassword)));
            created = https;
        }
        created.createContext("/", handler);
        created.setExecutor(executor);
        created.start();
        server = created;
        port = created.getAddress().getPort();
    }

    /** The base address, e.g. {@code http://127.0.0.1:41234}; logs go to {@code /api/v2/logs} under it. */
    public URI url() {
        return URI.create((config.keyStore == null ? "http" : "https") + "://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The failures scripted into this server. */
    public DatadogFaults faults() {
        return faults;
    }

    /** The accepted logs in arrival order (only with {@code retainLogs(true)}, the default). */
    public List<DatadogLog> logs() {
        return received.logs();
    }

    /** The messages of {@link #logs()}, in the same order. */
    public List<String> messages() {
        return received.messages();
    }

    public long logCount() {
        return received.count();
    }

    /** How many different {@code message} strings the accepted logs carry. */
    public long distinctMessageCount() {
        return received.distinct();
    }

    /** How many accepted logs carried a {@code message} already accepted before (a resend, most likely). */
    public long duplicateMessageCount() {
        return received.duplicates();
    }

    /** Accepted logs dated outside the documented submission window (18 h past, 2 h future). */
    public long outsideSubmissionWindowCount() {
        return received.outsideWindow();
    }

    /** Accepted logs that were over the single-log limit and truncated. */
    public long truncatedCount() {
        return received.truncated();
    }

    /** Requests received, of any path or method, whatever their outcome. */
    public long requestCount() {
        return traffic.requests();
    }

    /** Replies by HTTP status; a connection closed without a reply counts under 0. */
    public Map<Integer, Long> responsesByStatus() {
        return traffic.byStatus();
    }

    /** Request body bytes read off the wire (compressed, when they were). */
    public long bytesReceived() {
        return traffic.bytes();
    }

    /** Every answered request in order, with its headers (only with {@code retainLogs(true)}). */
    public List<DatadogRequest> requests() {
        return traffic.all();
    }

    /** The last request answered (or closed without an answer), or null. */
    public DatadogRequest lastRequest() {
        return traffic.last();
    }

    /** The headers of {@link #lastRequest()}, names case-insensitive; empty when there was none. */
    public Map<String, List<String>> lastHeaders() {
        DatadogRequest last = traffic.last();
        return last == null ? Map.of() : last.headers();
    }

    /** Forgets logs, requests and counts; faults stay. */
    public void clear() {
        received.clear();
        traffic.clear();
    }

    @Override
    public synchronized void close() {
        stop();
        executor.shutdownNow();
    }

    private static SSLContext sslContext(Path keyStore, char[] password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(keyStore.toFile(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use key store " + keyStore, e);
        }
    }

    public static final class Builder {
        private final Set<String> apiKeys = new LinkedHashSet<>();
        private int maxEntries = 1000;
        private long maxPayloadBytes = 5_000_000;
        private int maxLogBytes = 1_000_000;
        private Path keyStore;
        private char[] keyStorePassword;
        private int port;
        private boolean retainLogs = true;
        private int threads = 4;

        private Builder() {
        }

        /** An API key the server accepts; may be called for several ({@link #DEFAULT_API_KEY} when never called). */
        public Builder apiKey(String key) {
            apiKeys.add(Objects.requireNonNull(key));
            return this;
        }

        /** Most logs in one array (default 1000, Datadog's limit); more is answered 413. */
        public Builder maxEntries(int entries) {
            this.maxEntries = entries;
            return this;
        }

        /** Largest uncompressed payload in bytes (default 5,000,000: Datadog's 5MB); more is answered 413. */
        public Builder maxPayloadBytes(long bytes) {
            this.maxPayloadBytes = bytes;
            return this;
        }

        /** Largest single log, as compact JSON, in bytes (default 1,000,000: Datadog's 1MB); longer is truncated. */
        public Builder maxLogBytes(int bytes) {
            this.maxLogBytes = bytes;
            return this;
        }

        /** Serve HTTPS with the key (and certificate chain) in this PKCS12 or JKS key store. */
        public Builder tls(Path keyStore, String password) {
            this.keyStore = Objects.requireNonNull(keyStore);
            this.keyStorePassword = password.toCharArray();
            return this;
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** False: count logs and messages without keeping logs or requests (for benchmarks). */
        public Builder retainLogs(boolean retain) {
            this.retainLogs = retain;
            return this;
        }

        /** Request handler threads (default 4). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public FakeDatadogServer start() throws IOException {
            return new FakeDatadogServer(this);
        }
    }
}
