package io.logferry.testsupport.hec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FakeHecServerTest {

    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    private static final String CHANNEL = "FE0ECFAD-13D5-401B-847D-77833BD77131";
    private static final String OTHER_CHANNEL = "00872DC6-AC83-4EDE-8AFE-8413C3825C4C";
    private static final String EVENT = "/services/collector/event";
    private static final String RAW = "/services/collector/raw";
    private static final String ACK = "/services/collector/ack";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeHecServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // --- tokens ---

    @Test
    void aRequestWithoutAuthorizationIsRefusedWithCode2() throws Exception {
        start(false);
        HttpResponse<String> r = send(EVENT, BodyPublishers.ofString(event("a")));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"text\":\"Token is required\",\"code\":2}");
    }

    @Test
    void anAuthorizationWithoutTheSplunkSchemeIsRefusedWithCode3() throws Exception {
        start(false);
        HttpResponse<String> r = send(EVENT, BodyPublishers.ofString(event("a")), "Authorization", TOKEN);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"text\":\"Invalid authorization\",\"code\":3}");
    }

    @Test
    void anUnknownTokenIsRefusedWithCode4() throws Exception {
        start(false);
        HttpResponse<String> r = send(EVENT, BodyPublishers.ofString(event("a")), "Authorization", "Splunk nope");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"text\":\"Invalid token\",\"code\":4}");
    }

    @Test
    void aDisabledTokenIsRefusedWithCode1UntilEnabledAgain() throws Exception {
        start(false);
        server.faults().disableToken(TOKEN);
        HttpResponse<String> r = post(EVENT, event("a"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"text\":\"Token disabled\",\"code\":1}");

        server.faults().enableToken(TOKEN);
        assertThat(post(EVENT, event("a")).statusCode()).isEqualTo(200);
        assertThat(server.eventCount()).isEqualTo(1);
    }

    @Test
    void basicAuthenticationWithTheTokenAsPasswordIsAccepted() throws Exception {
        start(false);
        String basic = Base64.getEncoder().encodeToString(("x:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = send(EVENT, BodyPublishers.ofString(event("a")), "Authorization", "Basic " + basic);
        assertThat(r.statusCode()).isEqualTo(200);
    }

    // --- /event ---

    @Test
    void concatenatedEventsAreIndexedInOrderWithTheirMetadata() throws Exception {
        start(false);
        String body = "{\"time\":1426279439.123,\"host\":\"h1\",\"source\":\"s1\",\"sourcetype\":\"st1\",\"index\":\"main\","
                + "\"fields\":{\"k\":\"v\"},\"event\":\"first\"}\n"
                + "{\"event\":{\"msg\":\"second\",\"n\":2},\"time\":\"1426279440\"}{\"event\":\"third\"}  ";
        HttpResponse<String> r = post(EVENT, body);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"text\":\"Success\",\"code\":0}");
        List<HecEvent> events = server.events();
        assertThat(events).extracting(HecEvent::event).containsExactly("first", "{\"msg\":\"second\",\"n\":2}", "third");
        assertThat(events.get(0)).isEqualTo(new HecEvent("first", new BigDecimal("1426279439.123"), "h1", "s1", "st1",
                "main", "{\"k\":\"v\"}", null, HecEvent.Endpoint.EVENT));
        assertThat(events.get(1).time()).isEqualByComparingTo("1426279440");
        assertThat(events.get(2).time()).isNull();
    }

    @Test
    void theCollectorPathIsAnAliasOfTheEventEndpoint() throws Exception {
        start(false);
        assertThat(post("/services/collector", event("a")).statusCode()).isEqualTo(200);
        assertThat(server.events()).extracting(HecEvent::endpoint).containsExactly(HecEvent.Endpoint.EVENT);
    }

    @Test
    void aMissingEventFieldIsCode12AtItsPositionAndTheEventsBeforeItAreIndexed() throws Exception {
        start(false);
        HttpResponse<String> r = post(EVENT, event("a") + event("b") + "{\"host\":\"h\"}" + event("d"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"text\":\"Event field is required\",\"code\":12,\"invalid-event-number\":2}");
        assertThat(server.events()).extracting(HecEvent::event).containsExactly("a", "b");
    }

    @Test
    void aBlankEventIsCode13AtItsPosition() throws Exception {
        start(false);
        HttpResponse<String> r = post(EVENT, event("a") + "{\"event\":\"  \"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"text\":\"Event field cannot be blank\",\"code\":13,\"invalid-event-number\":1}");
        assertThat(server.eventCount()).isEqualTo(1);
    }

    @Test
    void aBrokenObjectIsCode6AtItsPosition() throws Exception {
        start(false);
        HttpResponse<String> r = post(EVENT, event("a") + "{\"event\":\"b\",}" + event("c"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":1}");
        assertThat(server.events()).extracting(HecEvent::event).containsExactly("a");
    }

    @Test
    void anEmptyBodyIsCode5OnBothEndpoints() throws Exception {
        start(false);
        for (String path : List.of(EVENT, RAW)) {
            HttpResponse<String> r = post(path, " \n");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"text\":\"No data\",\"code\":5}");
        }
    }

    // --- /raw ---

    @Test
    void eachRawLineIsAnEventWithTheQueryStringsMetadata() throws Exception {
        start(false);
        HttpResponse<String> r = post(RAW + "?host=h&source=s%2Fx&sourcetype=st&index=i", "one\ntwo\r\n\nthree\n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.events()).containsExactly(
                new HecEvent("one", null, "h", "s/x", "st", "i", null, null, HecEvent.Endpoint.RAW),
                new HecEvent("two", null, "h", "s/x", "st", "i", null, null, HecEvent.Endpoint.RAW),
                new HecEvent("three", null, "h", "s/x", "st", "i", null, null, HecEvent.Endpoint.RAW));
    }

    // --- gzip ---

    @Test
    void gzipBodiesAreAcceptedOnBothEndpoints() throws Exception {
        start(false);
        assertThat(post(EVENT, gzip(event("a") + event("b")), "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
        assertThat(post(RAW, gzip("c\nd\n"), "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
        assertThat(server.events()).extracting(HecEvent::event).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aBodyThatIsNotGzipAsDeclaredIsCode6AtEventZero() throws Exception {
        start(false);
        HttpResponse<String> r = post(EVENT, event("a"), "Content-Encoding", "gzip");
        assertThat(r.body()).isEqualTo("{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":0}");
    }

    // --- indexer acknowledgement ---

    @Test
    void ackIdsCountFromZeroInEachChannel() throws Exception {
        start(true);
        assertThat(post(EVENT, event("a"), "X-Splunk-Request-Channel", CHANNEL).body())
                .isEqualTo("{\"text\":\"Success\",\"code\":0,\"ackId\":0}");
        assertThat(post(RAW, "b", "X-Splunk-Request-Channel", CHANNEL).body()).endsWith("\"ackId\":1}");
        assertThat(post(EVENT + "?channel=" + OTHER_CHANNEL, event("c")).body()).endsWith("\"ackId\":0}");
        assertThat(server.events()).extracting(HecEvent::channel).containsExactly(CHANNEL, CHANNEL, OTHER_CHANNEL);
    }

    @Test
    void anAckIsTrueOnceIndexedAndThenForgotten() throws Exception {
        start(true);
        post(EVENT, event("a"), "X-Splunk-Request-Channel", CHANNEL);
        post(EVENT, event("b"), "X-Splunk-Request-Channel", CHANNEL);

        HttpResponse<String> first = post(ACK, "{\"acks\":[0,1,7]}", "X-Splunk-Request-Channel", CHANNEL);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"acks\":{\"0\":true,\"1\":true,\"7\":false}}");
        // Splunk drops an ackId once it has reported it true
        assertThat(post(ACK, "{\"acks\":[0,1]}", "X-Splunk-Request-Channel", CHANNEL).body())
                .isEqualTo("{\"acks\":{\"0\":false,\"1\":false}}");
        assertThat(server.ackQueryCount()).isEqualTo(2);
    }

    @Test
    void anAckIdBelongsToItsChannel() throws Exception {
        start(true);
        post(EVENT, event("a"), "X-Splunk-Request-Channel", CHANNEL);
        assertThat(post(ACK + "?channel=" + OTHER_CHANNEL, "{\"acks\":[0]}").body()).isEqualTo("{\"acks\":{\"0\":false}}");
        assertThat(post(ACK + "?channel=" + CHANNEL, "{\"acks\":[0]}").body()).isEqualTo("{\"acks\":{\"0\":true}}");
    }

    @Test
    void withAnIndexingDelayEventsAndAcksAppearOnlyAfterIt() throws Exception {
        start(true);
        server.faults().indexingDelay(Duration.ofMillis(300));
        long sent = System.nanoTime();
        post(EVENT, event("a"), "X-Splunk-Request-Channel", CHANNEL);
        String early = post(ACK, "{\"acks\":[0]}", "X-Splunk-Request-Channel", CHANNEL).body();
        long earlyCount = server.eventCount();
        if (System.nanoTime() - sent < TimeUnit.MILLISECONDS.toNanos(300)) { // true unless this machine stalled
            assertThat(early).isEqualTo("{\"acks\":{\"0\":false}}");
            assertThat(earlyCount).isZero();
        }
        await().atMost(Duration.ofSeconds(5)).until(
                () -> post(ACK, "{\"acks\":[0]}", "X-Splunk-Request-Channel", CHANNEL).body().contains("true"));
        assertThat(server.eventCount()).isEqualTo(1);
    }

    @Test
    void withAckOnARequestWithoutChannelIsCode10OnEveryEndpoint() throws Exception {
        start(true);
        for (String path : List.of(EVENT, RAW, ACK)) {
            HttpResponse<String> r = post(path, path.equals(ACK) ? "{\"acks\":[0]}" : event("a"));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"text\":\"Data channel is missing\",\"code\":10}");
        }
        assertThat(server.eventCount()).isZero();
    }

    @Test
    void aChannelThatIsNotAGuidIsCode11() throws Exception {
        start(true);
        HttpResponse<String> header = post(EVENT, event("a"), "X-Splunk-Request-Channel", "not-a-guid");
        HttpResponse<String> query = post(RAW + "?channel=1234", "a");
        for (HttpResponse<String> r : List.of(header, query)) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"text\":\"Invalid data channel\",\"code\":11}");
        }
    }

    @Test
    void withAckOffSuccessHasNoAckIdRawNeedsNoChannelAndAckQueriesAreCode14() throws Exception {
        start(false);
        assertThat(post(EVENT, event("a"), "X-Splunk-Request-Channel", CHANNEL).body())
                .isEqualTo("{\"text\":\"Success\",\"code\":0}");
        assertThat(post(RAW, "b").statusCode()).isEqualTo(200);
        HttpResponse<String> r = post(ACK, "{\"acks\":[0]}", "X-Splunk-Request-Channel", CHANNEL);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"text\":\"ACK is disabled\",\"code\":14}");
    }

    // --- health and limits ---

    @Test
    void healthIsCode17AndCode18WhileUnhealthy() throws Exception {
        start(false);
        HttpResponse<String> healthy = get("/services/collector/health");
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.body()).isEqualTo("{\"text\":\"HEC is healthy\",\"code\":17}");

        server.faults().unhealthy(true);
        HttpResponse<String> unhealthy = get("/services/collector/health");
        assertThat(unhealthy.statusCode()).isEqualTo(503);
        assertThat(unhealthy.body()).isEqualTo("{\"text\":\"HEC is unhealthy, queues are full\",\"code\":18}");
    }

    @Test
    void aBodyOverMaxContentLengthIs413AndIndexesNothing() throws Exception {
        server = FakeHecServer.builder().token(TOKEN).maxContentLength(100).start();
        String big = event("x".repeat(120));
        assertThat(post(EVENT, big).statusCode()).isEqualTo(413);
        // a chunked body has no Content-Length: the limit applies while reading it
        BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes(big)));
        assertThat(send(EVENT, chunked, "Authorization", "Splunk " + TOKEN).statusCode()).isEqualTo(413);
        assertThat(server.eventCount()).isZero();
        assertThat(post(EVENT, event("small")).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        start(false);
        assertThat(post("/services/collector/nope", event("a")).statusCode()).isEqualTo(404);
    }

    // --- scripted faults ---

    @Test
    void busyAnswers503Code9ForTheNextRequestsOnly() throws Exception {
        start(false);
        server.faults().busy(2);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = post(EVENT, event("a"));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("{\"text\":\"Server is busy\",\"code\":9,\"invalid-event-number\":0}");
        }
        assertThat(server.eventCount()).isZero();
        assertThat(post(EVENT, event("a")).statusCode()).isEqualTo(200);
        assertThat(server.eventCount()).isEqualTo(1);
    }

    @Test
    void tooManyRequestsAnswers429AndInternalErrorsAnswer500Code8() throws Exception {
        start(false);
        server.faults().tooManyRequests(1);
        assertThat(post(EVENT, event("a")).statusCode()).isEqualTo(429);
        server.faults().internalErrors(1);
        HttpResponse<String> r = post(EVENT, event("a"));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"text\":\"Internal server error\",\"code\":8}");
        assertThat(server.eventCount()).isZero();
        assertThat(post(EVENT, event("a")).statusCode()).isEqualTo(200);
    }

    @Test
    void aResetConnectionGetsNoResponseAndIndexesNothing() throws Exception {
        start(false);
        server.faults().resetConnections(1);
        assertThatThrownBy(() -> post(EVENT, event("a"))).isInstanceOf(IOException.class);
        assertThat(server.eventCount()).isZero();
        assertThat(server.responsesByStatus()).containsEntry(0, 1L);
        assertThat(post(EVENT, event("a")).statusCode()).isEqualTo(200);
    }

    @Test
    void aResponseDelayHoldsEveryReplyBack() throws Exception {
        start(false);
        server.faults().responseDelay(Duration.ofMillis(200));
        long start = System.nanoTime();
        assertThat(post(EVENT, event("a")).statusCode()).isEqualTo(200);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void aRequestLostBeforeIndexingIsAnsweredButNeverIndexedNorAcknowledged() throws Exception {
        start(true);
        server.faults().loseBeforeIndexing(1);
        assertThat(post(EVENT, event("a"), "X-Splunk-Request-Channel", CHANNEL).body()).endsWith("\"ackId\":0}");
        post(EVENT, event("b"), "X-Splunk-Request-Channel", CHANNEL);
        assertThat(post(ACK, "{\"acks\":[0,1]}", "X-Splunk-Request-Channel", CHANNEL).body())
                .isEqualTo("{\"acks\":{\"0\":false,\"1\":true}}");
        assertThat(server.events()).extracting(HecEvent::event).containsExactly("b");
    }

    @Test
    void anAckLostAfterIndexingMakesAResendADuplicate() throws Exception {
        start(true);
        server.faults().loseAcksAfterIndexing(1);
        post(EVENT, event("seq=1"), "X-Splunk-Request-Channel", CHANNEL);
        assertThat(post(ACK, "{\"acks\":[0]}", "X-Splunk-Request-Channel", CHANNEL).body())
                .isEqualTo("{\"acks\":{\"0\":false}}");
        assertThat(server.eventCount()).isEqualTo(1);

        post(EVENT, event("seq=1"), "X-Splunk-Request-Channel", CHANNEL); // the sink's resend
        assertThat(post(ACK, "{\"acks\":[1]}", "X-Splunk-Request-Channel", CHANNEL).body())
                .isEqualTo("{\"acks\":{\"1\":true}}");
        assertThat(server.distinctSeqCount()).isEqualTo(1);
        assertThat(server.duplicateCount()).isEqualTo(1);
    }

    @Test
    void anInjectedInvalidEventIndexesTheEventsBeforeItAndResendingTheRestLosesAndDuplicatesNothing() throws Exception {
        start(true);
        server.faults().invalidEventInNextRequest(3);
        HttpResponse<String> r = post(EVENT, seqEvents(0, 10), "X-Splunk-Request-Channel", CHANNEL);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":3}");
        assertThat(server.eventCount()).isEqualTo(3);

        // the sink drops event 3 and resends 4..9: the fault was one-shot
        assertThat(post(EVENT, seqEvents(4, 10), "X-Splunk-Request-Channel", CHANNEL).statusCode()).isEqualTo(200);
        assertThat(server.distinctSeqCount()).isEqualTo(9);
        assertThat(server.hasSeq(3)).isFalse();
        assertThat(server.duplicateCount()).isZero();
    }

    // --- observation ---

    @Test
    void withoutRetainingEventsTheServerCountsDistinctSeqNumbersAndDuplicates() throws Exception {
        server = FakeHecServer.builder().token(TOKEN).retainEvents(false).start();
        post(EVENT, seqEvents(0, 5));
        post(RAW, "<134>1 - h app - MSG [meta@1 seq=\"3\"] payload for line seq=3\nline seq=5\n");

        assertThat(server.eventCount()).isEqualTo(7);
        assertThat(server.distinctSeqCount()).isEqualTo(6);
        assertThat(server.duplicateCount()).isEqualTo(1);
        assertThat(server.hasSeq(5)).isTrue();
        assertThatThrownBy(server::events).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void repliesAreCountedByStatusAndCodeAndClearForgetsThemWithTheEvents() throws Exception {
        start(false);
        post(EVENT, event("a"));
        post(EVENT, "");
        send(EVENT, BodyPublishers.ofString(event("a")));
        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(server.responsesByStatus()).isEqualTo(Map.of(200, 1L, 400, 1L, 401, 1L));
        assertThat(server.responsesByCode()).isEqualTo(Map.of(0, 1L, 5, 1L, 2, 1L));

        server.clear();
        assertThat(server.eventCount()).isZero();
        assertThat(server.requestCount()).isZero();
        assertThat(server.responsesByStatus()).isEmpty();
    }

    // --- TLS ---

    @Test
    void itServesHttpsWithTheGivenKeyStore(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("hec.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hec", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(keytoolOutput).isZero();

        server = FakeHecServer.builder().token(TOKEN).tls(keyStore, "secret").start();
        assertThat(server.url().toString()).startsWith("https://127.0.0.1:");

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("hec", KeyStore.getInstance(keyStore.toFile(), "secret".toCharArray())
                .getCertificate("hec"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();

        HttpResponse<String> r = https.send(HttpRequest.newBuilder(server.url().resolve(EVENT))
                .header("Authorization", "Splunk " + TOKEN).POST(BodyPublishers.ofString(event("secure"))).build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.events()).extracting(HecEvent::event).containsExactly("secure");
    }

    // --- helpers ---

    private void start(boolean ack) throws IOException {
        server = FakeHecServer.builder().token(TOKEN).ack(ack).start();
    }

    private static String event(String text) {
        return "{\"event\":\"" + text + "\"}";
    }

    private static String seqEvents(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> event("line seq=" + i)).collect(Collectors.joining("\n"));
    }

    /** POST with the test token. */
    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return post(path, bytes(body), headers);
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Splunk " + TOKEN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(path, BodyPublishers.ofByteArray(body), all);
    }

    private HttpResponse<String> send(String path, BodyPublisher body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path)).POST(body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), BodyHandlers.ofString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes(s));
        }
        return out.toByteArray();
    }
}
