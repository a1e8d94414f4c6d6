package io.logferry.tail;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** Follows the files its globs match; consumer only. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tail", title = "Tail", syntax = "tail:paths",
             consumerOnly = true, category = {Category.FILE}, headersClass = TailConstants.class)
public class TailEndpoint extends DefaultEndpoint {

    @UriParam
    private final TailConfiguration configuration;

    public TailEndpoint(String uri, TailComponent component, TailConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public TailConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("tail: is a consumer only; use it in from:, not to:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (configuration.getOffsetRepository() == null) {
            throw new IllegalArgumentException("tail:" + configuration.getPaths() + " has no offsetRepository:"
                    + " set camel.component.tail.offset-repository or the endpoint's offsetRepository option");
        }
        TailConsumer consumer = new TailConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
