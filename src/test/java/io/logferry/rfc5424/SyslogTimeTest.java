package io.logferry.rfc5424;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogTimeTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-23T10:15:30Z", "2026-11-23T10:15:30.1Z", "2026-11-23T10:15:30.123Z",
            "2026-11-23T10:15:30.123456+01:00", "2024-02-29T23:59:59.999-05:30", "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.5Z", "2100-03-01T00:00:00+14:00", "2000-02-29T12:00:00-12:00"})
    void readsTheTimestampAsJavaTimeDoes(String timestamp) {
        long expected = OffsetDateTime.parse(timestamp).toInstant().toEpochMilli();
        assertThat(SyslogTime.epochMillis("<34>1 " + timestamp + " host app - - - message")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<34>1 - host app - - - nil timestamp",
            "<34>Oct 11 22:14:15 mymachine su: BSD syslog",
            "plain text line",
            "<34>1 2026-13-01T00:00:00Z host month 13",
            "<34>1 2026-11-23T10:15:30 host no offset",
            "<34>1 2026-11-23T10:15:30. host empty fraction",
            "<34>1 2026-11-23T10:15:30+1:00 host short offset",
            "<34>1 2026-11-23"})
    void answersNoneWhenTheLineHasNoRfc5424Timestamp(String line) {
        assertThat(SyslogTime.epochMillis(line)).isEqualTo(SyslogTime.NONE);
    }

    @Test
    void readsTheTimestampOfALineThatIsASliceOfALargerChunk() {
        byte[] chunk = "junk<34>1 2026-11-23T10:15:30.5Z host app - - - message\nmore".getBytes(StandardCharsets.UTF_8);
        int length = chunk.length - "junk".length() - "\nmore".length();
        assertThat(SyslogTime.epochMillis(chunk, 4, length))
                .isEqualTo(OffsetDateTime.parse("2026-11-23T10:15:30.5Z").toInstant().toEpochMilli());
        assertThat(SyslogTime.epochMillis(chunk, 4, 20)).as("cut inside the timestamp").isEqualTo(SyslogTime.NONE);
    }
}
