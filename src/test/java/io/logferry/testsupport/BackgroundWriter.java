package io.logferry.testsupport;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** An application writing its log from its own thread: a tick of lines, a pause, until closed. */
public final class BackgroundWriter implements AutoCloseable {

    private final LogWriter writer;
    private final int linesPerTick;
    private final long pauseMillis;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    public BackgroundWriter(LogWriter writer, int linesPerTick, long pauseMillis) {
        this.writer = writer;
        this.linesPerTick = linesPerTick;
        this.pauseMillis = pauseMillis;
        this.thread = new Thread(this::run, "background-writer");
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                writer.write(linesPerTick);
                Thread.sleep(pauseMillis); // the application's pace, not synchronisation
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    /** Stops writing and fails the test if writing failed. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        assertThat(failure.get()).as("the writer thread failed").isNull();
    }
}
