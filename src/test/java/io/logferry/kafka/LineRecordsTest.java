package io.logferry.kafka;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LineRecordsTest {

    @Test
    void aKeyReadsBackAsTheOriginEvenWhenTheSourceHoldsSlashes() {
        byte[] key = LineRecords.key("dc1/web-01", "1498070d4c0a1e63", 96_670);
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("dc1/web-01/1498070d4c0a1e63/96670");
        assertThat(LineRecords.origin(key)).isEqualTo(new LineRecords.Origin("dc1/web-01", "1498070d4c0a1e63",
                96_670));
    }

    @Test
    void keysLogferryDidNotWriteHaveNoOrigin() {
        for (String key : new String[] {"", "order-17", "a/b", "a/b/", "a/b/x", "/fp/1", "a/b/-1",
                "a/b/99999999999999999999"}) {
            assertThat(LineRecords.origin(key.getBytes(StandardCharsets.UTF_8))).as(key).isNull();
        }
        assertThat(LineRecords.origin(null)).isNull();
    }

    @Test
    void theReaderAgreesWithTheParserOnRunsOfOneFileAndOnForeignKeys() {
        LineRecords.OriginReader reader = new LineRecords.OriginReader();
        String[] keys = {"web-01/fp1/0", "web-01/fp1/57", "web-01/fp1/120", "dc/web-02/fp2/9", "web-01/fp1/999",
            "web-01/fp1/x", "web-01/fp1/", "order-17", "web-01/fp1/99999999999999999999", "web-01/fp1/0012"};
        for (String key : keys) {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            assertThat(reader.read(bytes)).as(key).isEqualTo(LineRecords.origin(bytes));
        }
        assertThat(reader.read(null)).isNull();
        assertThat(LineRecords.key(LineRecords.keyPrefix("h", "f"), 0)).isEqualTo("h/f/0".getBytes(StandardCharsets.UTF_8));
        assertThat(LineRecords.key(LineRecords.keyPrefix("h", "f"), Long.MAX_VALUE))
                .isEqualTo(("h/f/" + Long.MAX_VALUE).getBytes(StandardCharsets.UTF_8));
    }
}
