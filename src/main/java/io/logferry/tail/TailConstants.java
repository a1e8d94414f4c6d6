package io.logferry.tail;

import org.apache.camel.spi.Metadata;

/** Headers set by the tail consumer on each exchange (one read batch of one file). */
public final class TailConstants {

    @Metadata(label = "consumer", description = "The path of the file the batch was read from", javaType = "String")
    public static final String FILE_PATH = "CamelTailFilePath";

    @Metadata(label = "consumer", description = "The fingerprint (identity) of the file the batch was read from",
              javaType = "String")
    public static final String FILE_FINGERPRINT = "CamelTailFileFingerprint";

    @Metadata(label = "consumer", description = "The byte offset of the batch's first line", javaType = "long")
    public static final String OFFSET = "CamelTailOffset";

    private TailConstants() {
    }
}
