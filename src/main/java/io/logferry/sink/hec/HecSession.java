package io.logferry.sink.hec;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * One session with one collector: its own connections and cookie store (so a load balancer's sticky cookie
 * keeps the session on one indexer) and its own ack channel GUID. Acks are polled on the session that sent
 * the request, as Splunk requires. Rotating means opening a new session; the old one lives on until its
 * pending acks are settled. Thread-safe: one lane sends while the poller asks for acks.
 */
final class HecSession implements AutoCloseable {

    record Response(int status, String body) {
    }

    private final String baseUrl;
    private final String token;
    private final String channel = UUID.randomUUID().toString();
    private final CloseableHttpClient client;
    private final RequestConfig requestConfig;
    private final AtomicInteger requests = new AtomicInteger();
    /** Requests awaiting indexer acknowledgement, by ack id. */
    final ConcurrentHashMap<Long, HecRequest> pendingAcks = new ConcurrentHashMap<>();
    /**
     * Held while a request is sent and its ack id recorded, and while acks are polled: an ack poll never
     * overlaps a send, so every ack id the collector issued on this channel is known (and checked for reuse)
     * before an answer about ack ids is believed. Fair, so a busy lane cannot starve the poller.
     */
    private final ReentrantLock exchangeLock = new ReentrantLock(true);
    /** The highest ack id this channel has been given; guarded by {@link #exchangeLock}. */
    private long highestAckId = -1;
    private volatile boolean retired;

    HecSession(String baseUrl, HecConfiguration config, TlsSocketStrategy tls) {
        this.baseUrl = baseUrl;
        this.token = config.token();
        this.requestConfig = RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(config.requestTimeout())).build();
        // Two connections: an ack poll does not wait for a pooled connection the lane has just used.
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(tls).setMaxConnTotal(2).setMaxConnPerRoute(2)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(config.connectTimeout()))
                                .setSocketTimeout(Timeout.ofMilliseconds(config.requestTimeout())).build())
                        .build())
                .setDefaultCookieStore(new BasicCookieStore())
                .disableAutomaticRetries()
                .build();
    }

    String baseUrl() {
        return baseUrl;
    }

    String channel() {
        return channel;
    }

    int requestsSent() {
        return requests.get();
    }

    void lock() {
        exchangeLock.lock();
    }

    /** Waits at most {@code millis} for the lock (its lane may be in a slow request); false when not taken. */
    boolean tryLock(long millis) throws InterruptedException {
        return exchangeLock.tryLock(millis, TimeUnit.MILLISECONDS);
    }

    void unlock() {
        exchangeLock.unlock();
    }

    /**
     * Records an ack id the collector gave this channel. False when it is not above every id given before:
     * Splunk counts ack ids up from 0 per channel, so a repeated or lower id means the collector forgot the
     * channel (an indexer restart) and the ids issued before can no longer be confirmed. Call under the lock.
     */
    boolean issued(long ackId) {
        if (ackId <= highestAckId) {
            return false;
        }
        highestAckId = ackId;
        return true;
    }

    long highestAckId() {
        return highestAckId;
    }

    Response send(HecEndpoint endpoint, HecRequest request, boolean gzip) throws IOException {
        requests.incrementAndGet();
        String uri = baseUrl + endpoint.path() + (request.query.isEmpty() ? "" : "?" + request.query);
        HttpPost post = new HttpPost(uri);
        post.setEntity(new ByteArrayEntity(request.body, endpoint == HecEndpoint.EVENT
                ? ContentType.APPLICATION_JSON : ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8),
                gzip ? "gzip" : null));
        return execute(post);
    }

    /** Asks which of the ack ids are indexed; answers the {@code acks} JSON text. */
    Response pollAcks(Collection<Long> ackIds) throws IOException {
        HttpPost post = new HttpPost(baseUrl + "/services/collector/ack");
        String ids = ackIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        post.setEntity(new StringEntity("{\"acks\":[" + ids + "]}", ContentType.APPLICATION_JSON));
        return execute(post);
    }

    Response health() throws IOException {
        return execute(new HttpGet(baseUrl + "/services/collector/health"));
    }

    private Response execute(ClassicHttpRequest request) throws IOException {
        request.setHeader("Authorization", "Splunk " + token);
        request.setHeader("X-Splunk-Request-Channel", channel);
        if (request instanceof HttpPost post) {
            post.setConfig(requestConfig);
        } else if (request instanceof HttpGet get) {
            get.setConfig(requestConfig);
        }
        return client.execute(request, response -> new Response(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
    }

    void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing a session that is no longer used
        }
    }

    @Override
    public String toString() {
        return "session " + channel + " to " + baseUrl;
    }
}
