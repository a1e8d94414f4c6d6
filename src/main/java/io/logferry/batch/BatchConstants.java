package io.logferry.batch;

import org.apache.camel.spi.Metadata;

/** Headers and properties that describe a {@link LogBatch}; completion predicates of the Aggregator read them. */
public final class BatchConstants {

    @Metadata(description = "Number of lines in the batch", javaType = "int")
    public static final String LINES = "CamelLogferryBatchLines";

    @Metadata(description = "Bytes of file content in the batch", javaType = "long")
    public static final String BYTES = "CamelLogferryBatchBytes";

    /** Exchange property a sink sets to name itself (store, hec, ...): the {@code sink} tag of the meters. */
    @Metadata(description = "The kind of sink that delivers the batch", javaType = "String")
    public static final String SINK = "CamelLogferrySink";

    /**
     * Exchange property a sink may set to name where it delivers ({@code store:jdbc:sqlite:data/events.db},
     * {@code syslog:collector:6514}; no passwords): the failing endpoint of a dead letter.
     */
    @Metadata(description = "Where the sink delivers, for dead-letter records", javaType = "String")
    public static final String SINK_ENDPOINT = "CamelLogferrySinkEndpoint";

    /** Exchange property: the batch as it reached its sink, whatever the sink does to the body. */
    @Metadata(description = "The LogBatch the sink was given (for the dead-letter channel)",
              javaType = "io.logferry.batch.LogBatch")
    public static final String BATCH = "CamelLogferryBatch";

    /** Exchange property: how many lines the batch had when it reached its sink. */
    @Metadata(description = "Lines of the batch when it reached its sink", javaType = "int")
    public static final String BATCH_SIZE = "CamelLogferryBatchSize";

    private BatchConstants() {
    }
}
