package io.logferry.offset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnconfirmedBatchesTest {

    @Test
    void countsBatchesUntilTheyCompleteAndFailuresOnlyOnceTheStopBegan() {
        UnconfirmedBatches unconfirmed = new UnconfirmedBatches();
        unconfirmed.sent(10);
        unconfirmed.sent(5);
        unconfirmed.done(10, false); // before the stop: the tail rewinds and reads these lines again
        assertThat(unconfirmed.inFlightBatches()).isEqualTo(1);
        assertThat(unconfirmed.unconfirmedLines()).isEqualTo(5);

        unconfirmed.stopping();
        unconfirmed.sent(7);
        unconfirmed.done(7, false); // during the stop: nobody reads them again in this run
        unconfirmed.done(5, true);

        assertThat(unconfirmed.inFlightBatches()).isZero();
        assertThat(unconfirmed.unconfirmedLines()).isEqualTo(7);
    }
}
