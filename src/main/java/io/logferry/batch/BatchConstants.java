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

    private BatchConstants() {
    }
}
