package io.logferry.kafkalines;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** The {@code kafka-lines:} component: lines from a Kafka topic, offsets committed after delivery. */
@Component("kafka-lines")
public class KafkaLinesComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KafkaLinesConfiguration configuration = new KafkaLinesConfiguration();
        configuration.setTopic(remaining);
        KafkaLinesEndpoint endpoint = new KafkaLinesEndpoint(uri, this, configuration);
        setProperties(configuration, parameters);
        setProperties(endpoint, parameters);
        configuration.validate();
        return endpoint;
    }
}
