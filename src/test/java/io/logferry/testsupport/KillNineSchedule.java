package io.logferry.testsupport;

import org.awaitility.core.ConditionTimeoutException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * The kill -9 schedule the crash tests share: while an application writes 2,000 lines/s, the real jar is started
 * and killed with SIGKILL {@code kills} times, at a random moment (seeded, printed) after delivery moved on, and
 * every fourth time during start-up; every sixth kill the log is renamed and recreated, the application appending
 * to the renamed file for a moment first, sometimes while logferry is down.
 */
public final class KillNineSchedule {

    private final String name;
    private final Path work;
    private final Map<String, String> env;
    private final int kills;

    /** @param name the test, printed with its seed */
    public KillNineSchedule(String name, Path work, Map<String, String> env, int kills) {
        this.name = name;
        this.work = work;
        this.env = env;
        this.kills = kills;
    }

    /**
     * Runs the schedule, writing through {@code writer} (closed at the end), and returns how many lines were
     * written. {@code delivered} tells how far delivery has come (any number that grows with it).
     */
    public long run(LogWriter writer, Callable<Long> delivered) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println(name + " seed " + seed);
        try (BackgroundWriter appender = new BackgroundWriter(writer, 20, 10)) {
            for (int i = 0; i < kills; i++) {
                try (JarProcess logferry = JarProcess.start(work, env, List.of())) {
                    if (i % 4 == 3) {
                        Thread.sleep(random.nextInt(1500)); // some kills land during start-up
                    } else {
                        awaitProgress(logferry, delivered);
                        Thread.sleep(random.nextInt(1200)); // a random moment during delivery
                    }
                    logferry.kill();
                }
                if (i % 6 == 5) {
                    writer.renameTo("app.log." + i);
                    writer.write(50);
                    writer.reopen();
                }
            }
        }
        writer.close();
        System.out.println(name + " wrote " + writer.written() + " lines, killed logferry " + kills + " times");
        return writer.written();
    }

    private static void awaitProgress(JarProcess logferry, Callable<Long> delivered) throws Exception {
        long before = delivered.call();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> delivered.call() > before);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no delivery within 90 s; logferry printed:\n" + logferry.output(), e);
        }
    }
}
