package io.logferry.deadletter;

import io.logferry.batch.BatchConstants;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.metrics.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dead-letter channel's endpoint keeps whole batches only: a batch it cannot keep whole stays failed. */
class DeadLetterWriterTest {

    @TempDir
    Path dir;

    private DeadLetterStore store;
    private DeadLetterWriter writer;

    @BeforeEach
    void open() {
        store = new DeadLetterStore(dir.resolve("deadletters.db"));
        store.start();
        writer = new DeadLetterWriter(store, new PipelineMetrics(new SimpleMeterRegistry()), 10_000);
    }

    @AfterEach
    void close() {
        store.stop();
    }

    private static Exchange failed(LogBatch batch, int sizeAtSink) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalArgumentException("refused"));
        exchange.setProperty(BatchConstants.BATCH, batch);
        exchange.setProperty(BatchConstants.BATCH_SIZE, sizeAtSink);
        exchange.setProperty(BatchConstants.SINK, "syslog");
        return exchange;
    }

    @Test
    void keepsEveryLineOfTheBatchWithItsSinkAndReason() {
        LogBatch batch = new LogBatch(List.of(new LogLine("s", "/a", "fp", 0, "one"), new LogLine("s", "/a", "fp", 4,
                "two")), List.of(), 8);
        writer.process(failed(batch, 2));

        assertThat(store.list(10)).extracting(l -> l.letter().line().text()).containsExactly("one", "two");
        assertThat(store.list(10).get(0).letter().reason()).isEqualTo("IllegalArgumentException: refused");
        assertThat(store.list(10).get(0).letter().sink()).isEqualTo("syslog");
    }

    @Test
    void aBatchWhoseSinkGaveItsLinesAwayIsNotKeptAndStaysFailed() {
        LogBatch batch = new LogBatch(List.of(new LogLine("s", "/a", "fp", 0, "one")), List.of(), 4);
        batch.clearLines(); // as the syslog forwarder does once the frames are encoded

        assertThatThrownBy(() -> writer.process(failed(batch, 1))).isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("not all at hand");
        assertThat(store.count()).isZero();
    }

    @Test
    void anExchangeThatNeverReachedTheBatchingStepIsNotKept() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalArgumentException("refused"));

        assertThatThrownBy(() -> writer.process(exchange)).isInstanceOf(DeadLetterException.class);
        assertThat(store.count()).isZero();
    }
}
