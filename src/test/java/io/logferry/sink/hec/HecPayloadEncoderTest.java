package io.logferry.sink.hec;

import io.logferry.sink.BatchDelivery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logferry.batch.LogLine;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HecPayloadEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HecConfiguration config = new HecConfiguration();

    @Test
    void eventBodiesCarryTimeMetadataAndTheLine() throws Exception {
        config.setSourcetype("syslog");
        LogLine line = line(0, "<34>1 2026-11-23T10:15:30.250Z web-01 app - - - said \"hi\"");
        List<HecRequest> requests = encode(List.of(line));

        assertThat(requests).hasSize(1);
        JsonNode event = JSON.readTree(requests.get(0).body);
        // 2026-11-23T10:15:30.250Z, written as epoch seconds with exactly its milliseconds
        assertThat(new String(requests.get(0).body, StandardCharsets.UTF_8)).startsWith("{\"time\":1795428930.250,");
        assertThat(event.get("host").asText()).isEqualTo("host-a");
        assertThat(event.get("source").asText()).isEqualTo("/var/log/app.log");
        assertThat(event.get("sourcetype").asText()).isEqualTo("syslog");
        assertThat(event.has("index")).isFalse();
        assertThat(event.get("event").asText()).isEqualTo(line.text());
    }

    @Test
    void requestsAreBoundedByEventsAndBytesAndKeepLineOrder() throws Exception {
        config.setMaxEvents(3);
        config.setMaxBytes(400);
        List<LogLine> lines = IntStream.range(0, 20).mapToObj(i -> line(i, "line " + i + " " + "x".repeat(i * 5)))
                .toList();
        List<HecRequest> requests = encode(lines);

        List<String> events = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (HecRequest request : requests) {
            assertThat(request.events()).isBetween(1, 3);
            assertThat(request.uncompressedBytes).isLessThanOrEqualTo(400);
            var parser = JSON.createParser(request.body);
            int n = 0;
            for (JsonNode node : (Iterable<JsonNode>) () -> readAll(parser)) {
                events.add(node.get("event").asText());
                n++;
            }
            assertThat(n).isEqualTo(request.events());
            for (int i : request.lines) {
                indices.add(i);
            }
        }
        assertThat(events).containsExactlyElementsOf(lines.stream().map(LogLine::text).toList());
        assertThat(indices).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
    }

    @Test
    void aLineLargerThanTheByteBoundTravelsAlone() {
        config.setMaxBytes(100);
        List<HecRequest> requests = encode(List.of(line(0, "a"), line(1, "b".repeat(500)), line(2, "c")));
        assertThat(requests).extracting(HecRequest::events).containsExactly(1, 1, 1);
    }

    @Test
    void rawBodiesAreLinesWithMetadataInTheQueryOneRequestPerMetadata() {
        config.setEndpoint("raw");
        config.setOverrides("auth.log: sourcetype=linux_secure, index=sec");
        LogLine a = new LogLine("host-a", "/var/log/app.log", "f1", 0, "app one");
        LogLine b = new LogLine("host-a", "/var/log/auth.log", "f2", 0, "auth one");
        LogLine c = new LogLine("host-a", "/var/log/app.log", "f1", 8, "app two");
        List<HecRequest> requests = encode(List.of(a, b, c));

        assertThat(requests).hasSize(2);
        assertThat(new String(requests.get(0).body, StandardCharsets.UTF_8)).isEqualTo("app one\napp two\n");
        assertThat(requests.get(0).query).isEqualTo("host=host-a&source=%2Fvar%2Flog%2Fapp.log");
        assertThat(new String(requests.get(1).body, StandardCharsets.UTF_8)).isEqualTo("auth one\n");
        assertThat(requests.get(1).query)
                .isEqualTo("host=host-a&source=%2Fvar%2Flog%2Fauth.log&sourcetype=linux_secure&index=sec");
    }

    @Test
    void gzipBodiesInflateToTheSameEvents() throws Exception {
        config.setGzip(true);
        List<HecRequest> requests = encode(List.of(line(0, "compressed line")));
        byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(requests.get(0).body)).readAllBytes();
        assertThat(JSON.readTree(inflated).get("event").asText()).isEqualTo("compressed line");
        assertThat(requests.get(0).uncompressedBytes).isEqualTo(inflated.length);
    }

    @Test
    void overridesAreCheckedWhenConfigured() {
        assertThatThrownBy(() -> new MetadataRules(new HecMetadata("", "", "", ""), "*.log sourcetype=x"))
                .hasMessageContaining("must look like");
        assertThatThrownBy(() -> new MetadataRules(new HecMetadata("", "", "", ""), "*.log: colour=blue"))
                .hasMessageContaining("unknown key 'colour'");
    }

    @Test
    void linesThatAreNotUtf8BecomeValidJsonWithReplacementCharacters() throws Exception {
        byte[] bytes = {'<', '1', '3', '>', '1', ' ', '-', ' ', 'o', 'k', (byte) 0xC3, '(', ' ', (byte) 0xFF};
        LogLine line = new LogLine("host-a", "/var/log/app.log", "fp", 0, bytes, 0, bytes.length);
        JsonNode event = JSON.readTree(encode(List.of(line)).get(0).body);
        assertThat(event.get("event").asText()).isEqualTo("<13>1 - ok\uFFFD( \uFFFD");
    }

    @Test
    void eachLineIsItsOwnSliceOfTheSharedChunk() throws Exception {
        byte[] chunk = "<13>1 2026-11-23T10:15:30Z a\n<13>1 - b \"q\"".getBytes(StandardCharsets.UTF_8);
        int second = "<13>1 2026-11-23T10:15:30Z a\n".length();
        List<LogLine> lines = List.of(
                new LogLine("host-a", "/var/log/app.log", "fp", 0, chunk, 0, second - 1),
                new LogLine("host-a", "/var/log/app.log", "fp", second, chunk, second, chunk.length - second));
        byte[] body = encode(lines).get(0).body;
        var parser = JSON.createParser(body);
        List<JsonNode> events = new ArrayList<>();
        readAll(parser).forEachRemaining(events::add);
        assertThat(events).extracting(e -> e.get("event").asText())
                .containsExactly("<13>1 2026-11-23T10:15:30Z a", "<13>1 - b \"q\"");
        assertThat(new String(body, StandardCharsets.UTF_8)).startsWith("{\"time\":1795428930.000,");
        assertThat(events.get(1).has("time")).isFalse();
    }

    private List<HecRequest> encode(List<LogLine> lines) {
        MetadataRules rules = new MetadataRules(new HecMetadata(config.index(), config.sourcetype(),
                config.source(), config.host()), config.overrides());
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        BatchDelivery delivery = new BatchDelivery(exchange, done -> { }, lines);
        return new HecPayloadEncoder(config, rules).encode(delivery, delivery.unconfirmed());
    }

    private static LogLine line(int i, String text) {
        return new LogLine("host-a", "/var/log/app.log", "fp", i * 100L, text);
    }

    private static java.util.Iterator<JsonNode> readAll(com.fasterxml.jackson.core.JsonParser parser) {
        try {
            return JSON.readValues(parser, JsonNode.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
