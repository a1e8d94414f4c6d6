package io.logferry.tail;

import io.logferry.batch.Confirmation;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.deadletter.DeadLetterException;
import io.logferry.deadletter.DeadLetterStore;
import io.logferry.deadletter.ReplaySource;
import io.logferry.offset.CommitWindow;
import io.logferry.offset.InflightBudget;
import io.logferry.offset.PendingRange;
import io.logferry.redelivery.RateLimitedLog;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.openmbean.TabularData;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Follows every file the globs match from one polling thread, however many there are. Each poll reads at
 * most one batch per file (round robin) while the in-flight budget has room, and emits it as one exchange
 * whose {@link LogBatch} carries the byte range it came from. This class never commits an offset: the
 * range's completion does, after the sink confirmed it. Files are tracked by inode while open and known by
 * fingerprint, so renames, copytruncate copies and restarts find the right offset.
 */
@ManagedResource(description = "Tail consumer: the files it follows, their committed and read offsets and lag")
public class TailConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TailConsumer.class);
    private static final long REWIND_LOG_INTERVAL_MILLIS = 10_000;

    private final TailConfiguration config;
    private FileDiscovery discovery;
    // read by management from other threads (tailedFiles, inflightBytes)
    private volatile FileTracker tracker;
    private volatile InflightBudget budget;
    private TailListener listener;
    private ByteBuffer buffer;
    private final LineSlices slices = new LineSlices();
    private String sourceId;
    private long nextScanNanos;
    private ReplaySource replays;
    private final RateLimitedLog rewinds = new RateLimitedLog(LOG, REWIND_LOG_INTERVAL_MILLIS);

    public TailConsumer(TailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.config = endpoint.getConfiguration();
        setDelay(config.getPollInterval());
        setInitialDelay(0);
        setGreedy(true);
    }

    @Override
    protected void doStart() throws Exception {
        discovery = new FileDiscovery(config.pathList(), config.excludeList());
        budget = new InflightBudget(config.getMaxInflightBytes());
        listener = ((TailComponent) getEndpoint().getComponent()).getListener();
        buffer = ByteBuffer.allocate(config.readBufferSize());
        sourceId = config.getSourceId() == null || config.getSourceId().isBlank()
                ? InetAddress.getLocalHost().getHostName() : config.getSourceId().strip();
        String keyPrefix = config.getOffsetKey() != null ? config.getOffsetKey() : getRouteId();
        tracker = new FileTracker(config, new Fingerprinter(config.getFingerprintBytes()),
                new StartOffsets(config.getOffsetRepository(), keyPrefix, config.getReadFrom()), budget);
        DeadLetterStore deadLetters = getEndpoint().getCamelContext().getRegistry()
                .lookupByNameAndType("deadLetters", DeadLetterStore.class);
        replays = deadLetters == null ? null : new ReplaySource(deadLetters, getRouteId(), config.getMaxBatchLines(),
                budget);
        checkDirectories();
        scan(true);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (tracker != null) { // null when the route failed to start before this consumer did
            tracker.closeAll();
        }
    }

    /** Bytes read but not yet confirmed, over all files. */
    public long inflightBytes() {
        return budget == null ? 0 : budget.used();
    }

    /** Path, fingerprint, committed offset, read offset, size and lag of each file followed now. */
    public List<TailedFileStatus> tailedFiles() {
        return tracker == null || !isRunAllowed() ? List.of() : tracker.status();
    }

    @ManagedAttribute(description = "Files followed now: path, fingerprint, committed offset, read offset, size"
            + " when last looked at, and lag (size minus committed offset) in bytes")
    public TabularData getTailedFiles() {
        return TailedFilesTable.of(tailedFiles());
    }

    @ManagedAttribute(description = "Number of files followed now")
    public int getFilesFollowed() {
        return tailedFiles().size();
    }

    @ManagedAttribute(description = "Bytes not yet confirmed by the sink, over all files followed now")
    public long getLagBytes() {
        return tailedFiles().stream().mapToLong(TailedFileStatus::lagBytes).sum();
    }

    @ManagedAttribute(description = "Bytes read but not yet confirmed by the sink, over all files")
    public long getInflightBytes() {
        return inflightBytes();
    }

    /**
     * Seconds the oldest line read but not confirmed has waited for its sink (0 when none waits): what shows a
     * stalled sink, whatever the sink (DESIGN invariant 11).
     */
    @ManagedAttribute(description = "Seconds the oldest unconfirmed line has waited for the sink; 0 when none waits")
    public double getOldestUnconfirmedSeconds() {
        long since = tracker == null || !isRunAllowed() ? 0 : tracker.unconfirmedSinceNanos();
        return since == 0 ? 0 : Math.max(0, System.nanoTime() - since) / 1e9;
    }

    /** Identity (fingerprint) to committed offset of every file followed now. */
    public Map<String, Long> followedFiles() {
        return tracker == null ? Map.of() : tracker.committedOffsets();
    }

    @Override
    protected int poll() throws Exception {
        if (System.nanoTime() - nextScanNanos >= 0) {
            scan(false);
        }
        if (!budget.awaitRoom(config.getPollInterval())) {
            return 0; // the sink is behind: the files on disk are the buffer
        }
        int exchanges = replayDeadLetters();
        for (TailedFile file : tracker.files()) {
            if (!isRunAllowed() || !budget.hasRoom()) {
                break;
            }
            exchanges += readOnce(file);
        }
        return exchanges;
    }

    private void checkDirectories() {
        for (Path dir : discovery.baseDirectories()) {
            for (Path p = dir; p != null; p = p.getParent()) {
                if (Files.exists(p) && !Files.isDirectory(p)) {
                    throw new IllegalStateException("tail: " + p + " is a file, not a directory; fix the glob in the"
                            + " paths option (" + config.getPaths() + ")");
                }
            }
            if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isExecutable(dir))) {
                throw new IllegalStateException("tail: cannot read directory " + dir + " (permission denied); give"
                        + " the user running logferry read and execute permission on it, or remove it from the"
                        + " paths option (" + config.getPaths() + ")");
            }
            if (!Files.exists(dir)) {
                LOG.info("Directory {} does not exist yet; files will be picked up when it appears", dir);
            }
        }
    }

    private void scan(boolean atStart) throws IOException {
        Set<Path> paths;
        try {
            paths = discovery.scan();
        } catch (IOException e) {
            if (atStart) {
                throw new IOException("tail: cannot list the files of " + config.getPaths() + ": " + e
                        + "; check the permissions of the directories on the way", e);
            }
            LOG.warn("Cannot list the files of {}: {}", config.getPaths(), e.toString());
            return;
        }
        if (atStart && paths.isEmpty()) {
            LOG.warn("Route {}: paths {} match no file yet; the tail follows them as they appear (logferry_tail_files"
                    + " is 0 until then)", getRouteId(), config.getPaths());
        }
        tracker.update(paths, atStart);
        nextScanNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.getScanInterval());
    }

    private int readOnce(TailedFile file) throws IOException {
        if (file.truncated()) {
            finishIfIdle(file);
            return 0;
        }
        if (!rewindIfDue(file)) {
            return 0;
        }
        FileChannel channel = file.channel();
        long size = channel.size();
        boolean grew = file.observeSize(size);
        if (size < file.position() || (grew && tracker.isTruncated(file, channel))) {
            tracker.markTruncated(file);
            nextScanNanos = System.nanoTime(); // look for the copy now
            return 0;
        }
        if (size == file.position() || (!grew && file.waitingForLineEnd())) {
            finishIfIdle(file);
            return 0;
        }
        return readBatch(file, channel, size);
    }

    private boolean rewindIfDue(TailedFile file) {
        CommitWindow window = file.window();
        if (!window.rewindRequested()) {
            return true;
        }
        // the ranges sent before the failure are still being retried: reading them now would send a second copy
        if (!window.rewindReady()) {
            return false;
        }
        if (System.nanoTime() - window.failedAtNanos() < TimeUnit.MILLISECONDS.toNanos(config.getRetryDelay())) {
            return false;
        }
        long offset = window.rewind();
        rewinds.warn(getRouteId(), () -> "Delivery of " + file.path() + " failed; reading it again from offset "
                + offset);
        file.position(offset);
        file.reader().reset();
        file.waitingForLineEnd(false);
        return true;
    }

    private int readBatch(TailedFile file, FileChannel channel, long size) throws IOException {
        long base = file.position();
        int length = fill(channel, base, size);
        LineReader reader = file.reader();
        long splitBefore = reader.linesSplit();
        long piecesBefore = reader.piecesSplit();
        long truncatedBefore = reader.linesTruncated();
        LineSlices read = slices.begin(buffer.array());
        int consumed = reader.read(buffer.array(), length, base, config.getMaxBatchLines(), read);
        long truncated = reader.linesTruncated() - truncatedBefore;
        if (truncated > 0) {
            listener.linesTruncated(getRouteId(), truncated);
        }
        reportLongLines(file, reader.linesSplit() - splitBefore, reader.piecesSplit() - piecesBefore, truncated);
        file.position(base + consumed);
        // an unterminated last line: skip this file until it grows again
        file.waitingForLineEnd(base + length == size && consumed < length && read.count() < config.getMaxBatchLines());
        if (read.count() == 0) {
            return 0;
        }
        return emit(file, read.toBlock(sourceId, file.path().toString(), file.identity())) ? 1 : 0;
    }

    private int fill(FileChannel channel, long from, long size) throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), size - from));
        long position = from;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n <= 0) {
                break;
            }
            position += n;
        }
        return buffer.position();
    }

    private boolean emit(TailedFile file, List<LogLine> lines) {
        long start = file.window().nextStart();
        List<long[]> delivered = file.window().deliveredAhead();
        if (!delivered.isEmpty()) {
            lines = new ArrayList<>(lines); // rare: read again after a failure
            lines.removeIf(line -> within(delivered, line.offset()));
        }
        PendingRange range = file.window().open(start, file.position());
        if (range == null) {
            return false; // a failure arrived meanwhile: the next poll rewinds
        }
        if (lines.isEmpty()) {
            range.delivered(); // read again after a failure, but the sink had confirmed every line of it
            return true;
        }
        Exchange exchange = createExchange(false);
        exchange.getMessage().setHeader(TailConstants.FILE_PATH, file.path().toString());
        exchange.getMessage().setHeader(TailConstants.FILE_FINGERPRINT, file.identity());
        exchange.getMessage().setHeader(TailConstants.OFFSET, start);
        send(exchange, new LogBatch(lines, List.of(range), range.length()), "lines of " + file.path());
        return true;
    }

    private static boolean within(List<long[]> ranges, long offset) {
        for (long[] range : ranges) {
            if (offset < range[0]) {
                return false;
            }
            if (offset < range[1]) {
                return true;
            }
        }
        return false;
    }

    /** Resends dead letters an operator queued for replay through this route, a batch at a time. */
    private int replayDeadLetters() {
        if (replays == null) {
            return 0;
        }
        LogBatch batch;
        try {
            batch = replays.next();
        } catch (DeadLetterException e) {
            LOG.warn("Route {}: cannot read the dead letters to replay: {}", getRouteId(), e.getMessage());
            return 0;
        }
        if (batch == null) {
            return 0;
        }
        send(createExchange(false), batch, "dead letters to replay");
        return 1;
    }

    /** Hands the batch to the route; when it cannot even be handed over, its confirmations fail at once. */
    private void send(Exchange exchange, LogBatch batch, String what) {
        exchange.getMessage().setBody(batch);
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            batch.confirmations().forEach(Confirmation::failed);
            getExceptionHandler().handleException("Failed to hand over " + what, exchange, exchange.getException());
        }
    }

    /** Closes a file that was renamed, removed or truncated once it stopped growing and nothing is in flight. */
    private void finishIfIdle(TailedFile file) throws IOException {
        boolean gone = file.detached() || file.truncated();
        if (!gone || file.idleNanos() < TimeUnit.MILLISECONDS.toNanos(config.getRotateWait())
                || file.window().pendingRanges() > 0) {
            return;
        }
        if (file.detached() && flushUnterminatedLine(file)) {
            return;
        }
        if (file.truncated()) {
            LOG.warn("No copy of truncated {} (fingerprint {}) appeared; lines after offset {} of the old content"
                    + " could not be read. Include the rotated name in paths to keep them.", file.path(),
                    file.identity(), file.position());
        } else {
            LOG.info("Finished {}: read to its end after it was renamed or removed", file.path());
        }
        tracker.forget(file);
    }

    /** A rotated file that will not grow any more may end without a newline: ship that last line too. */
    private boolean flushUnterminatedLine(TailedFile file) throws IOException {
        FileChannel channel = file.channel();
        long size = channel.size();
        if (size <= file.position()) {
            return false;
        }
        int length = fill(channel, file.position(), size);
        LineSlices read = slices.begin(buffer.array());
        file.reader().flushRemainder(buffer.array(), length, file.position(), read);
        file.position(file.position() + length);
        return read.count() > 0 && emit(file, read.toBlock(sourceId, file.path().toString(), file.identity()));
    }

    /** Counts of this read: lines split began, pieces split lines became, lines truncated. */
    private void reportLongLines(TailedFile file, long split, long pieces, long truncated) {
        if (split > 0) {
            LOG.warn("{} line(s) of {} were longer than maxLineLength={} bytes and were split ({} pieces written so"
                    + " far; longLines option)", split, file.path(), config.getMaxLineLength(), pieces);
        }
        if (truncated > 0) {
            LOG.warn("{} line(s) of {} were longer than maxLineLength={} bytes and were truncated (longLines"
                    + " option)", truncated, file.path(), config.getMaxLineLength());
        }
    }
}
