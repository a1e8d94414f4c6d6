package io.logferry.sink.hec;

import io.logferry.sink.SinkOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HecResponsesTest {

    @Test
    void successIsDeliveredOrAwaitsItsAck() {
        assertThat(HecResponses.classify(200, "{\"text\":\"Success\",\"code\":0}"))
                .isEqualTo(new SinkOutcome.Delivered());
        assertThat(HecResponses.classify(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":7}"))
                .isEqualTo(new SinkOutcome.AwaitingAck(7));
    }

    @Test
    void invalidEventNumberRejectsOnlyThatEvent() {
        SinkOutcome outcome = HecResponses.classify(400,
                "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":3}");
        assertThat(outcome).isInstanceOf(SinkOutcome.RejectEvent.class);
        assertThat(((SinkOutcome.RejectEvent) outcome).index()).isEqualTo(3);
        assertThat(((SinkOutcome.RejectEvent) outcome).reason()).contains("Invalid data format");
    }

    @Test
    void otherDataErrorsRejectTheRequest() {
        assertThat(HecResponses.classify(400, "{\"text\":\"No data\",\"code\":5}"))
                .isInstanceOf(SinkOutcome.RejectAll.class);
        assertThat(HecResponses.classify(400, "{\"text\":\"Incorrect index\",\"code\":7}"))
                .isInstanceOf(SinkOutcome.RejectAll.class);
    }

    @Test
    void tokenAndConfigurationErrorsAreNeverTheDatasFault() {
        assertThat(HecResponses.classify(401, "{\"text\":\"Token is required\",\"code\":2}"))
                .isInstanceOf(SinkOutcome.Unauthorized.class);
        SinkOutcome disabled = HecResponses.classify(403, "{\"text\":\"Token disabled\",\"code\":1}");
        assertThat(((SinkOutcome.Unauthorized) disabled).reason()).contains("Token disabled").contains("token");
        assertThat(HecResponses.classify(400, "{\"text\":\"ACK is disabled\",\"code\":14}"))
                .isInstanceOf(SinkOutcome.Unauthorized.class);
        assertThat(HecResponses.classify(400, "{\"text\":\"Data channel is missing\",\"code\":10}"))
                .isInstanceOf(SinkOutcome.Unauthorized.class);
    }

    @Test
    void tooLargeSplitsAndBusyOrBrokenServersAreRetried() {
        assertThat(HecResponses.classify(413, "")).isInstanceOf(SinkOutcome.TooLarge.class);
        assertThat(HecResponses.classify(503, "{\"text\":\"Server is busy\",\"code\":9}"))
                .isInstanceOf(SinkOutcome.Retry.class);
        assertThat(HecResponses.classify(429, "")).isInstanceOf(SinkOutcome.Retry.class);
        assertThat(HecResponses.classify(500, "<html>oops</html>")).isInstanceOf(SinkOutcome.Retry.class);
        assertThat(HecResponses.classify(200, "not json")).isEqualTo(new SinkOutcome.Delivered());
    }
}
