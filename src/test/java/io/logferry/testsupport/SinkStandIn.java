package io.logferry.testsupport;

import io.logferry.batch.BatchConstants;
import io.logferry.batch.LogBatch;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.spi.InterceptStrategy;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs a step of the test's own just before the store of a tail-to-store pipeline, standing in for a sink that
 * refuses some data; the real store then writes what passed.
 */
public final class SinkStandIn {

    public static final String POISON = "POISON";

    private SinkStandIn() {
    }

    /** Starts a tail-to-store pipeline in {@code dir} with {@code step} run before its store. */
    public static TestPipeline start(Path dir, Map<String, String> properties, Processor step) throws Exception {
        return TestPipeline.start(dir, TestPipeline.ROUTE_ID, Map.of(), properties, context -> context
                .getCamelContextExtension().addInterceptStrategy(new InterceptStrategy() {
                    @Override
                    public Processor wrapProcessorInInterceptors(CamelContext camel, NamedNode node, Processor target,
                                                                 Processor next) {
                        if (!(node instanceof ProcessDefinition process) || !process.getRef().contains("eventStore")) {
                            return target;
                        }
                        return exchange -> {
                            exchange.setProperty(BatchConstants.SINK, "store");
                            step.process(exchange);
                            target.process(exchange);
                        };
                    }
                }));
    }

    /** A step that fails every batch holding a POISON line while {@code refusing} says so. */
    public static Processor refusePoison(BooleanSupplier refusing, Supplier<RuntimeException> failure) {
        return exchange -> {
            LogBatch batch = exchange.getMessage().getBody(LogBatch.class);
            if (refusing.getAsBoolean() && batch.lines().stream().anyMatch(l -> l.text().contains(POISON))) {
                throw failure.get();
            }
        };
    }
}
