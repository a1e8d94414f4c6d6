package io.logferry.metrics;

import io.logferry.tail.TailConsumer;
import io.logferry.tail.TailListener;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.LifecycleStrategySupport;

import java.util.Collection;

/**
 * Registers the tail gauges of every route that starts from {@code tail:}. The gauges look the route's
 * consumer up at each scrape, so a route reloaded under the same id keeps reporting. As the tail component's
 * listener it counts truncated lines, which outlive the consumer that read them (a restart makes a new one).
 */
public final class TailMeterBinder extends LifecycleStrategySupport implements TailListener {

    private final CamelContext context;
    private final PipelineMetrics metrics;

    public TailMeterBinder(CamelContext context, PipelineMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
        metrics.unconfirmedAges(id -> consumer(id) == null ? 0 : consumer(id).getOldestUnconfirmedSeconds());
    }

    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        for (Route route : routes) {
            if (route.getConsumer() instanceof TailConsumer) {
                String id = route.getRouteId();
                metrics.tail(id, () -> consumer(id) == null ? 0 : consumer(id).inflightBytes(),
                        () -> context.getInflightRepository().size(id),
                        () -> consumer(id) == null ? 0 : consumer(id).followedFiles().size(),
                        () -> consumer(id) == null ? 0 : consumer(id).getLagBytes());
                metrics.linesTruncated(id, 0); // scraped as 0 before the first long line
            }
        }
    }

    @Override
    public void linesTruncated(String routeId, long lines) {
        metrics.linesTruncated(routeId, lines);
    }

    private TailConsumer consumer(String routeId) {
        Route route = context.getRoute(routeId);
        return route != null && route.getConsumer() instanceof TailConsumer tail ? tail : null;
    }
}
