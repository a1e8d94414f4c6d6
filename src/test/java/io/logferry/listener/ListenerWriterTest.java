package io.logferry.listener;

import io.logferry.metrics.ListenerMeters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ListenerWriterTest {

    private final List<ReceivedFrames> stored = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private volatile boolean failNext;
    private final ListenerOutput output = new ListenerOutput() {
        @Override
        public Stored store(List<ReceivedFrames> group) throws Exception {
            calls.incrementAndGet();
            if (failNext) {
                failNext = false;
                throw new java.io.IOException("No space left on device");
            }
            stored.addAll(group);
            return new Stored(group.stream().mapToInt(b -> b.frames().size()).sum(), 0, 0);
        }

        @Override
        public void close() {
        }
    };
    private final ListenerWriter writer = new ListenerWriter(output, ListenerMeters.standalone("test"), "test");
    private final Thread thread = new Thread(writer);

    @AfterEach
    void stop() throws InterruptedException {
        writer.stop();
        thread.join(5_000);
    }

    private void submit(String name, ReceivedFrames batch) {
        writer.submit(new ListenerWriter.Pending(batch, () -> outcomes.add(name + " stored"),
                e -> outcomes.add(name + " failed")));
    }

    private static ReceivedFrames frames(ListenerConnection connection, String... frames) {
        List<byte[]> list = java.util.Arrays.stream(frames).map(f -> f.getBytes(StandardCharsets.UTF_8)).toList();
        return connection.received(list, list.stream().mapToInt(f -> f.length).sum());
    }

    @Test
    void acknowledgesTheLastBatchOfEachConnectionWithItsFrameCountAfterStoring() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ListenerConnection connection = new ListenerConnection(channel, "web-01", true, 1 << 20);
        submit("a", frames(connection, "one", "two"));
        submit("b", frames(connection, "three"));
        thread.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 2);
        channel.runPendingTasks();
        ByteBuf ack = channel.readOutbound();
        assertThat(ack.toString(StandardCharsets.US_ASCII)).isEqualTo("5 ack 3");
        assertThat(outcomes).containsExactly("a stored", "b stored");
    }

    @Test
    void afterAFailedBatchNothingLaterOfThatConnectionIsStoredButOtherConnectionsAre() {
        ListenerConnection broken = new ListenerConnection(new EmbeddedChannel(), "web-01", true, 1 << 20);
        ListenerConnection other = new ListenerConnection(new EmbeddedChannel(), "web-02", true, 1 << 20);
        failNext = true;
        submit("a", frames(broken, "<13>1 - h a - - [origin@32473 file=\"f\" off=\"0\"] x"));
        thread.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.contains("a failed"));
        submit("b", frames(broken, "<13>1 - h a - - [origin@32473 file=\"f\" off=\"100\"] y"));
        submit("c", frames(other, "z"));
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 3);
        assertThat(outcomes).containsExactly("a failed", "b failed", "c stored");
        assertThat(stored).extracting(b -> b.connection().source()).containsExactly("web-02");
        assertThat(broken.hasFailed()).isTrue();
    }
}
