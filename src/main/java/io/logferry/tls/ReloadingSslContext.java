package io.logferry.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The {@link SSLContext} of a listener or forwarder, rebuilt when its certificate, key or CA files change, so a
 * renewal ({@code logferry pki issue --force}, or new PEM files copied in place) takes effect for new connections
 * within {@code interval} without a restart; connections already open keep the context they started with. The
 * files are compared by content. A new set that does not load (a key that does not match the certificate, a CA
 * file that holds no CA, a half-written file) is refused with an ERROR naming the file and the problem, and the
 * previous context stays in use: verification is never weakened in between. Thread-safe.
 */
public final class ReloadingSslContext {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);
    private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "logferry-tls-reload");
        t.setDaemon(true);
        return t;
    });

    private final String who;
    private final TlsFiles files;
    private final Function<TlsFiles, SSLContext> build;
    private volatile SSLContext current;
    private byte[] stamp;
    private byte[] refusedStamp;
    private volatile ScheduledFuture<?> task;
    private volatile BooleanSupplier active = () -> true;

    /**
     * Builds the first context now (a failure stops the start) and, with {@code intervalMillis} above 0, checks
     * the files that often. The check stops by itself once nothing refers to this object any more.
     */
    public ReloadingSslContext(String who, TlsFiles files, Function<TlsFiles, SSLContext> build,
                               long intervalMillis) {
        this.who = who;
        this.files = files;
        this.build = build;
        this.stamp = stamp(files);
        this.current = build.apply(files);
        if (intervalMillis > 0) {
            task = schedule(this, intervalMillis);
        }
    }

    /**
     * Looks at the files only while {@code owner} says so: a listener's Netty consumer keeps its pipeline (and so
     * this object) across a route stop and start, and a stopped route must not report files it no longer uses.
     */
    public ReloadingSslContext whileActive(BooleanSupplier owner) {
        this.active = owner;
        return this;
    }

    /** Stops looking at the files (the route stopped); the current context stays usable. */
    public void close() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** The context for the next connection. */
    public SSLContext current() {
        return current;
    }

    /** Looks at the files now; reloads if they changed. Returns true if a new context is in use. */
    public synchronized boolean check() {
        byte[] now;
        try {
            now = stamp(files);
        } catch (TlsSetupException e) {
            refuse(null, e.getMessage());
            return false;
        }
        if (Arrays.equals(now, stamp) || Arrays.equals(now, refusedStamp)) {
            return false;
        }
        try {
            SSLContext fresh = build.apply(files);
            current = fresh;
            stamp = now;
            refusedStamp = null;
            LOG.info("{}: certificate files changed; new connections use them ({})", who, describe(files));
            return true;
        } catch (RuntimeException e) {
            refuse(now, e.getMessage());
            return false;
        }
    }

    private void refuse(byte[] now, String reason) {
        if (now != null && Arrays.equals(now, refusedStamp)) {
            return;
        }
        refusedStamp = now;
        LOG.error("{}: the changed certificate files cannot be used, so the previous ones stay in use until they"
                + " are fixed: {}", who, reason);
    }

    private static ScheduledFuture<?> schedule(ReloadingSslContext context, long intervalMillis) {
        WeakReference<ReloadingSslContext> ref = new WeakReference<>(context);
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = CHECKS.scheduleWithFixedDelay(() -> {
            ReloadingSslContext alive = ref.get();
            if (alive == null) {
                task[0].cancel(false);
                return;
            }
            try {
                if (alive.active.getAsBoolean()) {
                    alive.check();
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: checking the certificate files failed: {}", alive.who, e.toString());
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return task[0];
    }

    /** A digest of the files' contents. */
    private static byte[] stamp(TlsFiles files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : paths(files)) {
                try {
                    digest.update(Files.readAllBytes(file));
                } catch (NoSuchFileException e) {
                    throw new TlsSetupException(file + " does not exist (any more)", e);
                }
                digest.update((byte) 0);
            }
            return digest.digest();
        } catch (IOException e) {
            throw new TlsSetupException("cannot read the certificate files: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static List<Path> paths(TlsFiles files) {
        if (files instanceof TlsFiles.Pem pem) {
            return List.of(pem.certificateChain(), pem.privateKey(), pem.trustedCa());
        }
        TlsFiles.Pkcs12 p12 = (TlsFiles.Pkcs12) files;
        return List.of(p12.keyStore(), p12.trustedCa());
    }

    private static String describe(TlsFiles files) {
        return paths(files).stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
