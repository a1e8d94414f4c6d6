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
}
