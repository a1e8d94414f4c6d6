package io.logferry.tail;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** The {@code tail:} component: follows log files by glob with offsets committed after delivery. */
@Component("tail")
public class TailComponent extends DefaultComponent {

    @Metadata(label = "consumer,advanced",
              description = "The offset repository used by endpoints that do not set their own")
    private StateRepository<String, String> offsetRepository;
    private TailListener listener = TailListener.NONE;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TailConfiguration configuration = new TailConfiguration();
        configuration.setPaths(remaining);
        configuration.setOffsetRepository(offsetRepository);
        TailEndpoint endpoint = new TailEndpoint(uri, this, configuration);
        setProperties(configuration, parameters);
        setProperties(endpoint, parameters);
        configuration.validate();
        return endpoint;
    }

    public StateRepository<String, String> getOffsetRepository() {
        return offsetRepository;
    }

    /** The offset repository used by endpoints that do not set their own. */
    public void setOffsetRepository(StateRepository<String, String> offsetRepository) {
        this.offsetRepository = offsetRepository;
    }

    public TailListener getListener() {
        return listener;
    }

    /** Told what every consumer of this component reads (truncated lines), for metrics. */
    public void setListener(TailListener listener) {
        this.listener = listener == null ? TailListener.NONE : listener;
    }
}
