package io.logferry.testsupport.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FakeDatadogServerTest {

    private static final String KEY = "fedcba9876543210fedcba9876543210";
    private static final String LOGS = "/api/v2/logs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeDatadogServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // --- API key ---

    @Test
    void aRequestWithoutAnApiKeyIsRefusedWith401AndStoresNothing() throws Exception {
        start();
        HttpResponse<String> r = send(LOGS, bytes(logs("a")));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r)).containsEntry("status", "401").containsEntry("title", "Unauthorized");
        assertThat(server.logCount()).isZero();
    }

    @Test
    void aWrongApiKeyIsRefusedWith403() throws Exception {
        start();
        HttpResponse<String> r = send(LOGS, bytes(logs("a")), "DD-API-KEY", "not-the-key");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r)).containsEntry("status", "403").containsEntry("title", "Forbidden");
        assertThat(server.logCount()).isZero();
    }

    @Test
    void aDisabledKeyIsRefusedWith403UntilEnabledAgain() throws Exception {
        start();
        server.faults().disableKey(KEY);
        assertThat(post(logs("a")).statusCode()).isEqualTo(403);

        server.faults().enableKey(KEY);
        assertThat(post(logs("a")).statusCode()).isEqualTo(202);
        assertThat(server.logCount()).isEqualTo(1);
    }

    @Test
    void everyConfiguredKeyIsAcceptedAndTheDefaultKeyOnlyWhenNoneIsConfigured() throws Exception {
        server = FakeDatadogServer.builder().apiKey(KEY).apiKey("second-key").start();
        assertThat(send(LOGS, bytes(logs("a")), "DD-API-KEY", "second-key").statusCode()).isEqualTo(202);
        assertThat(send(LOGS, bytes(logs("b")), "DD-API-KEY", FakeDatadogServer.DEFAULT_API_KEY).statusCode())
                .isEqualTo(403);
        server.close();

        server = FakeDatadogServer.builder().start();
        assertThat(send(LOGS, bytes(logs("c")), "DD-API-KEY", FakeDatadogServer.DEFAULT_API_KEY).statusCode())
                .isEqualTo(202);
    }

    // --- payloads ---

    @Test
    void anArrayOfLogsIsAcceptedWith202AndAnEmptyJsonObjectAndStoredInOrderWithTheirAttributes() throws Exception {
        start();
        String body = "[{\"message\":\"first\",\"ddsource\":\"logferry\",\"ddtags\":\"env:test\",\"hostname\":\"h1\","
                + "\"service\":\"svc\",\"seq\":1},{\"message\":\"second\",\"nested\":{\"k\":\"v\"}}]";
        HttpResponse<String> r = post(body);

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(server.messages()).containsExactly("first", "second");
        DatadogLog first = server.logs().get(0);
        assertThat(first.attribute("ddsource")).isEqualTo("logferry");
        assertThat(first.attribute("ddtags")).isEqualTo("env:test");
        assertThat(first.attribute("hostname")).isEqualTo("h1");
        assertThat(first.attribute("service")).isEqualTo("svc");
        assertThat(first.json().get("seq").asInt()).isEqualTo(1);
        assertThat(server.logs().get(1).attribute("nested")).isEqualTo("{\"k\":\"v\"}");
        assertThat(server.logs().get(1).attribute("absent")).isNull();
    }

    @Test
    void aSingleLogObjectIsAcceptedLikeAnArrayOfOne() throws Exception {
        start();
        assertThat(post("{\"message\":\"alone\",\"service\":\"svc\"}").statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("alone");
    }

    @Test
    void aLogWithoutMessageIsStoredWithAnEmptyMessage() throws Exception {
        start();
        assertThat(post("[{\"service\":\"svc\"}]").statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("");
    }

    @Test
    void aGzipBodyIsDecodedAndItsHeadersAreRecorded() throws Exception {
        start();
        byte[] body = gzip(logs("zipped-1", "zipped-2"));
        HttpResponse<String> r = post(body, "Content-Encoding", "gzip", "Content-Type", "application/json");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("zipped-1", "zipped-2");
        DatadogRequest request = server.lastRequest();
        assertThat(request.header("dd-api-key")).isEqualTo(KEY);
        assertThat(request.header("CONTENT-ENCODING")).isEqualTo("gzip");
        assertThat(server.lastHeaders().get("Content-Type")).containsExactly("application/json");
        assertThat(request.bodyBytes()).isEqualTo(body.length);
        assertThat(server.bytesReceived()).isEqualTo(body.length);
    }

    @Test
    void aDeflateBodyIsDecoded() throws Exception {
        start();
        HttpResponse<String> r = post(deflate(logs("deflated")), "Content-Encoding", "deflate");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("deflated");
    }

    @Test
    void aBodyThatIsNotWhatItsContentEncodingSaysIsRefusedWith400() throws Exception {
        start();
        assertThat(post(bytes(logs("plain")), "Content-Encoding", "gzip").statusCode()).isEqualTo(400);
        assertThat(post(bytes(logs("plain")), "Content-Encoding", "br").statusCode()).isEqualTo(400);
        assertThat(server.logCount()).isZero();
    }

    @Test
    void malformedJsonIsRefusedWith400InTheHttpLogErrorsShapeAndStoresNothing() throws Exception {
        start();
        HttpResponse<String> r = post("[{\"message\":\"fine\"},{\"message\":\"broken\"");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).containsEntry("status", "400").containsEntry("title", "Bad Request")
                .containsKey("detail");
        assertThat(server.logCount()).isZero();
    }

    @Test
    void anEmptyBodyTrailingGarbageOrANonObjectEntryIsRefusedWith400() throws Exception {
        start();
        assertThat(post("").statusCode()).isEqualTo(400);
        assertThat(post(logs("a") + " x").statusCode()).isEqualTo(400);
        assertThat(post("[{\"message\":\"a\"},\"b\"]").statusCode()).isEqualTo(400);
        assertThat(post("\"just a string\"").statusCode()).isEqualTo(400);
        assertThat(server.logCount()).isZero();
    }

    @Test
    void theDdtagsQueryParameterIsRecordedWithTheRequestAndItsLogs() throws Exception {
        start();
        HttpResponse<String> r = post(LOGS + "?ddtags=env:prod,team%3Aops", bytes(logs("tagged")));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(server.lastRequest().ddtags()).isEqualTo("env:prod,team:ops");
        assertThat(server.logs().get(0).queryDdtags()).isEqualTo("env:prod,team:ops");
    }

    @Test
    void anotherPathIs404AndAnotherMethodIs405() throws Exception {
        start();
        assertThat(post("/v1/input", bytes(logs("a"))).statusCode()).isEqualTo(404);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(server.url().resolve(LOGS))
                .header("DD-API-KEY", KEY).GET().build(), BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(server.logCount()).isZero();
    }

    // --- limits ---

    @Test
    void anArrayOfOneThousandEntriesIsAccepted() throws Exception {
        start();
        assertThat(post(seqLogs(0, 1000)).statusCode()).isEqualTo(202);
        assertThat(server.logCount()).isEqualTo(1000);
    }

    @Test
    void anArrayOverOneThousandEntriesIsRefusedWith413AndStoresNothing() throws Exception {
        start();
        HttpResponse<String> r = post(seqLogs(0, 1001));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r)).containsEntry("status", "413");
        assertThat(server.logCount()).isZero();
    }

    @Test
    void aPayloadOverFiveMegabytesUncompressedIsRefusedWith413AndStoresNothing() throws Exception {
        start();
        String body = logs("x".repeat(900_000), "y".repeat(900_000), "z".repeat(900_000), "w".repeat(900_000),
                "v".repeat(900_000), "u".repeat(900_000)); // 5.4 MB
        HttpResponse<String> r = post(body);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r)).containsEntry("title", "Request Entity Too Large");
        assertThat(server.logCount()).isZero();
    }

    @Test
    void aGzipPayloadIsMeasuredUncompressed() throws Exception {
        start();
        byte[] small = gzip(logs("a".repeat(900_000), "b".repeat(900_000), "c".repeat(900_000),
                "d".repeat(900_000), "e".repeat(900_000), "f".repeat(900_000)));
        assertThat(small.length).isLessThan(100_000);
        assertThat(post(small, "Content-Encoding", "gzip").statusCode()).isEqualTo(413);
        assertThat(server.logCount()).isZero();
    }

    @Test
    void aLogOverOneMegabyteIsTruncatedToOneMegabyteAndAccepted() throws Exception {
        start();
        HttpResponse<String> r = post(logs("m".repeat(1_500_000)));

        assertThat(r.statusCode()).isEqualTo(202);
        DatadogLog log = server.logs().get(0);
        assertThat(log.truncated()).isTrue();
        assertThat(JSON.writeValueAsBytes(log.json()).length).isLessThanOrEqualTo(1_000_000).isGreaterThan(999_000);
        assertThat(log.message()).startsWith("mmm").hasSizeLessThan(1_000_000);
        assertThat(server.truncatedCount()).isEqualTo(1);
    }

    @Test
    void inAMultiLogRequestOnlyTheLogsOverTheLimitAreTruncated() throws Exception {
        server = FakeDatadogServer.builder().apiKey(KEY).maxLogBytes(1000).start();
        String multiByte = "é".repeat(800); // 1600 bytes in UTF-8: cut at a character boundary
        HttpResponse<String> r = post(logs("short", multiByte));

        assertThat(r.statusCode()).isEqualTo(202);
        List<DatadogLog> logs = server.logs();
        assertThat(logs.get(0).truncated()).isFalse();
        assertThat(logs.get(0).message()).isEqualTo("short");
        assertThat(logs.get(1).truncated()).isTrue();
        assertThat(logs.get(1).message()).matches("é+");
        assertThat(JSON.writeValueAsBytes(logs.get(1).json()).length).isBetween(990, 1000);
    }

    // --- dates ---

    @Test
    void theDateIsTheFirstDefaultDateAttributeInIso8601OrEpochMilliseconds() throws Exception {
        start();
        Instant recent = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        post("[{\"message\":\"iso\",\"date\":\"" + recent + "\",\"eventTime\":0},"
                + "{\"message\":\"millis\",\"timestamp\":" + recent.toEpochMilli() + "},"
                + "{\"message\":\"text millis\",\"published_date\":\"" + recent.toEpochMilli() + "\"},"
                + "{\"message\":\"unparsable first\",\"timestamp\":\"soon\",\"Timestamp\":\"" + recent + "\"}]");

        assertThat(server.logs()).extracting(DatadogLog::date).containsOnly(recent);
        assertThat(server.logs()).allMatch(DatadogLog::withinSubmissionWindow);
    }

    @Test
    void anRfc3164DateIsReadInTheYearOfReception() throws Exception {
        start();
        Instant recent = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String rfc3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH)
                .format(recent.atZone(ZoneOffset.UTC));
        post("[{\"message\":\"bsd\",\"date\":\"" + rfc3164 + "\"}]");
        assertThat(server.logs().get(0).date()).isEqualTo(recent);
    }

    @Test
    void aLogWithoutADefaultDateAttributeIsDatedAtReceptionAndAtTimestampIsNotOne() throws Exception {
        start();
        Instant before = Instant.now();
        post("[{\"message\":\"undated\",\"@timestamp\":\"2001-01-01T00:00:00Z\"}]");
        assertThat(server.logs().get(0).date()).isBetween(before, Instant.now());
    }

    @Test
    void aLogDatedOutsideTheSubmissionWindowIsAcceptedButFlagged() throws Exception {
        start();
        Instant old = Instant.now().minus(Duration.ofHours(19));
        Instant future = Instant.now().plus(Duration.ofHours(3));
        Instant lateButIn = Instant.now().minus(Duration.ofHours(17));
        HttpResponse<String> r = post("[{\"message\":\"old\",\"timestamp\":" + old.toEpochMilli() + "},"
                + "{\"message\":\"future\",\"date\":\"" + future + "\"},"
                + "{\"message\":\"late\",\"date\":\"" + lateButIn + "\"}]");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(server.logs()).extracting(DatadogLog::withinSubmissionWindow).containsExactly(false, false, true);
        assertThat(server.outsideSubmissionWindowCount()).isEqualTo(2);
    }

    // --- faults ---

    @Test
    void aResetConnectionGetsNoResponseAndStoresNothingOnce() throws Exception {
        start();
        server.faults().resetConnections(1);
        assertThatThrownBy(() -> post(logs("lost"))).isInstanceOf(IOException.class);
        assertThat(server.logCount()).isZero();
        assertThat(server.responsesByStatus()).isEqualTo(Map.of(0, 1L));

        assertThat(post(logs("kept")).statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("kept");
    }

    @Test
    void eachCountedFaultAnswersItsStatusForTheNextRequestsAndStoresNothing() throws Exception {
        start();
        server.faults().requestTimeouts(1);
        server.faults().internalErrors(2);
        server.faults().unavailable(1);

        assertThat(post(logs("a")).statusCode()).isEqualTo(408);
        assertThat(post(logs("b")).statusCode()).isEqualTo(500);
        assertThat(post(logs("c")).statusCode()).isEqualTo(500);
        HttpResponse<String> unavailable = post(logs("d"));
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(error(unavailable)).containsEntry("title", "Service Unavailable");
        assertThat(post(logs("e")).statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("e");
        assertThat(server.responsesByStatus()).isEqualTo(Map.of(202, 1L, 408, 1L, 500, 2L, 503, 1L));
    }

    @Test
    void a429CarriesRetryAfterInSecondsOnlyWhenScriptedWithOne() throws Exception {
        start();
        server.faults().tooManyRequests(1, Duration.ofMillis(2500));
        HttpResponse<String> withHeader = post(logs("a"));
        assertThat(withHeader.statusCode()).isEqualTo(429);
        assertThat(withHeader.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(error(withHeader)).containsEntry("status", "429");

        server.faults().tooManyRequests(1);
        HttpResponse<String> without = post(logs("b"));
        assertThat(without.statusCode()).isEqualTo(429);
        assertThat(without.headers().firstValue("Retry-After")).isEmpty();
        assertThat(server.logCount()).isZero();
    }

    @Test
    void countedFaultsAreNotConsumedByRequestsThatFailTheKeyCheck() throws Exception {
        start();
        server.faults().internalErrors(1);
        assertThat(send(LOGS, bytes(logs("a")), "DD-API-KEY", "wrong").statusCode()).isEqualTo(403);
        assertThat(post(logs("b")).statusCode()).isEqualTo(500);
        assertThat(post(logs("c")).statusCode()).isEqualTo(202);
    }

    @Test
    void failForAnswersEveryRequest503ForItsDurationAndCountsThem() throws Exception {
        start();
        server.faults().failFor(Duration.ofMillis(500));
        for (int i = 0; i < 3; i++) {
            assertThat(post(logs("during " + i)).statusCode()).isEqualTo(503);
        }
        assertThat(send(LOGS, bytes(logs("no key"))).statusCode()).isEqualTo(503);

        await().atMost(Duration.ofSeconds(5)).until(() -> post(logs("after")).statusCode() == 202);
        assertThat(server.faults().requestsDuringOutage()).isGreaterThanOrEqualTo(4);
        assertThat(server.messages()).containsOnly("after");
    }

    @Test
    void aRequestWithARejectedMessageIsRefusedWith400AndNothingOfItIsStoredSoAClientMustBisect()
            throws Exception {
        start();
        server.faults().rejectMessagesContaining("POISON");
        List<String> batch = List.of("m0", "m1", "m2 POISON", "m3");

        HttpResponse<String> r = post(logs(batch.toArray(String[]::new)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).containsEntry("status", "400");
        assertThat(server.logCount()).isZero();

        assertThat(post(logs("m0", "m1")).statusCode()).isEqualTo(202);
        assertThat(post(logs("m2 POISON")).statusCode()).isEqualTo(400);
        assertThat(post(logs("m3")).statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("m0", "m1", "m3");

        server.faults().clear();
        assertThat(post(logs("m2 POISON")).statusCode()).isEqualTo(202);
    }

    @Test
    void aResponseDelayHoldsEveryRequest() throws Exception {
        start();
        server.faults().responseDelay(Duration.ofMillis(300));
        long started = System.nanoTime();
        assertThat(post(logs("slow")).statusCode()).isEqualTo(202);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    // --- restart ---

    @Test
    void stopRefusesConnectionsAndStartServesTheSamePortKeepingTheLogs() throws Exception {
        start();
        int port = server.port();
        post(logs("before"));

        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> post(logs("during"))).isInstanceOf(ConnectException.class);

        server.start();
        assertThat(server.port()).isEqualTo(port);
        assertThat(post(logs("after")).statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("before", "after");
    }

    // --- observation ---

    @Test
    void duplicatesAndDistinctMessagesAreCountedByTheFullMessage() throws Exception {
        start();
        post(logs("seq=1 a", "seq=2 b"));
        post(logs("seq=2 b", "seq=1 a", "seq=1 a changed"));
        assertThat(server.logCount()).isEqualTo(5);
        assertThat(server.distinctMessageCount()).isEqualTo(3);
        assertThat(server.duplicateMessageCount()).isEqualTo(2);
    }

    @Test
    void withoutRetainingLogsTheServerStillCountsMessagesAndDuplicates() throws Exception {
        server = FakeDatadogServer.builder().apiKey(KEY).retainLogs(false).start();
        post(seqLogs(0, 100));
        post(seqLogs(50, 150));

        assertThat(server.logCount()).isEqualTo(200);
        assertThat(server.distinctMessageCount()).isEqualTo(150);
        assertThat(server.duplicateMessageCount()).isEqualTo(50);
        assertThat(server.lastRequest().status()).isEqualTo(202);
        assertThatThrownBy(server::logs).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(server::requests).isInstanceOf(IllegalStateException.class);
        assertThat(FakeDatadogServerMain.stats(server))
                .isEqualTo("logs=200 distinct=150 duplicates=50 requests=2 responses={202=2}");
    }

    @Test
    void requestsAreRecordedInOrderAndClearForgetsThemWithTheLogs() throws Exception {
        start();
        post(logs("a"));
        post("{");
        send(LOGS, bytes(logs("b")));
        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(server.requests()).extracting(DatadogRequest::status).containsExactly(202, 400, 401);
        assertThat(server.requests()).extracting(DatadogRequest::logsStored).containsExactly(1, 0, 0);
        assertThat(server.responsesByStatus()).isEqualTo(Map.of(202, 1L, 400, 1L, 401, 1L));

        server.clear();
        assertThat(server.logCount()).isZero();
        assertThat(server.requestCount()).isZero();
        assertThat(server.responsesByStatus()).isEmpty();
        assertThat(server.lastHeaders()).isEmpty();
    }

    // --- TLS ---

    @Test
    void itServesHttpsWithTheGivenKeyStore(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("datadog.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "intake", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(keytoolOutput).isZero();

        server = FakeDatadogServer.builder().apiKey(KEY).tls(keyStore, "secret").start();
        assertThat(server.url().toString()).startsWith("https://127.0.0.1:");

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("intake", KeyStore.getInstance(keyStore.toFile(), "secret".toCharArray())
                .getCertificate("intake"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();

        HttpResponse<String> r = https.send(HttpRequest.newBuilder(server.url().resolve(LOGS))
                .header("DD-API-KEY", KEY).POST(BodyPublishers.ofString(logs("secure"))).build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(server.messages()).containsExactly("secure");
    }

    // --- helpers ---

    private void start() throws IOException {
        server = FakeDatadogServer.builder().apiKey(KEY).start();
    }

    /** A JSON array of logs with these messages. */
    private static String logs(String... messages) {
        return java.util.Arrays.stream(messages).map(m -> "{\"message\":\"" + m + "\",\"ddsource\":\"test\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String seqLogs(int from, int to) {
        return logs(IntStream.range(from, to).mapToObj(i -> "line seq=" + i).toArray(String[]::new));
    }

    /** The single error of an HTTPLogErrors body, as field -> text. */
    private static Map<String, String> error(HttpResponse<String> r) throws IOException {
        JsonNode errors = JSON.readTree(r.body()).get("errors");
        assertThat(errors.size()).isEqualTo(1);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        errors.get(0).properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        return fields;
    }

    /** POST to /api/v2/logs with the test key. */
    private HttpResponse<String> post(String body) throws Exception {
        return post(bytes(body));
    }

    private HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        return post(LOGS, body, headers);
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "DD-API-KEY";
        all[1] = KEY;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(path, body, all);
    }

    private HttpResponse<String> send(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
                .POST(BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), BodyHandlers.ofString());
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

    private static byte[] deflate(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(out)) {
            zlib.write(bytes(s));
        }
        return out.toByteArray();
    }
}
