package io.logferry.kafkalines;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** Reads the lines of one topic as a member of a consumer group; consumer only. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "kafka-lines", title = "Kafka lines", syntax = "kafka-lines:topic",
             consumerOnly = true, category = {Category.MESSAGING})
public class KafkaLinesEndpoint extends DefaultEndpoint {

    @UriParam
    private final KafkaLinesConfiguration configuration;

    public KafkaLinesEndpoint(String uri, KafkaLinesComponent component, KafkaLinesConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public KafkaLinesConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("kafka-lines: is a consumer only; use it in from:, not to:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KafkaLinesConsumer consumer = new KafkaLinesConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
