package io.logferry.sink.datadog;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Posts request bodies to {@code <base>/api/v2/logs} with the API key in {@code DD-API-KEY}, on a pool of
 * {@code concurrency} kept-alive connections (TLS verified against the JVM's trust store). No automatic
 * retries: the sender decides. Thread-safe.
 */
final class DatadogClient implements AutoCloseable {

    static final String PATH = "/api/v2/logs";

    /** What the intake answered; {@code retryAfterSeconds} is -1 without a usable Retry-After header. */
    record Response(int status, String body, long retryAfterSeconds) {
    }

    private final String endpoint;
    private final String apiKey;
    private final boolean gzip;
    private final CloseableHttpClient client;
    private final RequestConfig requestConfig;

    DatadogClient(DatadogConfiguration config) {
        this.endpoint = config.baseUrl() + PATH;
        this.apiKey = config.apiKey();
        this.gzip = config.gzip();
        this.requestConfig = RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(config.requestTimeout())).build();
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(config.concurrency()).setMaxConnPerRoute(config.concurrency())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(config.connectTimeout()))
                                .setSocketTimeout(Timeout.ofMilliseconds(config.requestTimeout())).build())
                        .build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    String endpoint() {
        return endpoint;
    }

    Response post(DatadogRequest request) throws IOException {
        HttpPost post = new HttpPost(endpoint);
        post.setConfig(requestConfig);
        post.setHeader("DD-API-KEY", apiKey);
        post.setEntity(new ByteArrayEntity(request.body, ContentType.APPLICATION_JSON, gzip ? "gzip" : null));
        return client.execute(post, response -> new Response(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8),
                retryAfter(response.getFirstHeader("Retry-After"))));
    }

    /** Seconds of a Retry-After header in its delta-seconds form; -1 when absent or an HTTP date. */
    private static long retryAfter(Header header) {
        if (header == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.getValue().strip()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
