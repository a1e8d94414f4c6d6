package io.logferry.tail;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

import java.util.Arrays;
import java.util.List;

/** Options of the {@code tail:} endpoint. Each setter's Javadoc is the option's user documentation. */
@UriParams
public class TailConfiguration implements Cloneable {

    @UriPath(description = "Comma-separated globs of the files to follow")
    @Metadata(required = true)
    private String paths;
    @UriParam(label = "consumer")
    private String exclude;
    @UriParam(label = "consumer", defaultValue = "head")
    private ReadFrom readFrom = ReadFrom.head;
    @UriParam(label = "consumer", defaultValue = "250")
    private long pollInterval = 250;
    @UriParam(label = "consumer", defaultValue = "500")
    private long scanInterval = 500;
    @UriParam(label = "consumer", defaultValue = "65536")
    private int maxLineLength = 65536;
    @UriParam(label = "consumer", defaultValue = "split")
    private LongLines longLines = LongLines.split;
    @UriParam(label = "consumer", defaultValue = "2000")
    private int maxBatchLines = 2000;
    @UriParam(label = "consumer", defaultValue = "1048576")
    private int maxBatchBytes = 1024 * 1024;
    @UriParam(label = "consumer", defaultValue = "33554432")
    private long maxInflightBytes = 32L * 1024 * 1024;
    @UriParam(label = "consumer", defaultValue = "5000")
    private long rotateWait = 5000;
    @UriParam(label = "consumer,advanced", defaultValue = "1024")
    private int fingerprintBytes = 1024;
    @UriParam(label = "consumer", defaultValue = "1000")
    private long retryDelay = 1000;
    @UriParam(label = "consumer")
    private String sourceId;
    @UriParam(label = "consumer,advanced")
    private String offsetKey;
    @UriParam(label = "consumer,advanced")
    private StateRepository<String, String> offsetRepository;

    public String getPaths() {
        return paths;
    }

    /** Comma-separated globs of the files to follow, relative to the working directory or absolute: {@code logs/*.log,/var/log/app/**}. */
    public void setPaths(String paths) {
        this.paths = paths;
    }

    List<String> pathList() {
        return split(paths);
    }

    public String getExclude() {
        return exclude;
    }

    /** Comma-separated globs to leave out; with a '/' they match the path, without it the file name: {@code *.gz}. */
    public void setExclude(String exclude) {
        this.exclude = exclude;
    }

    List<String> excludeList() {
        return split(exclude);
    }

    public ReadFrom getReadFrom() {
        return readFrom;
    }

    /**
     * Where to start in a file that has no saved offset and existed at start-up: {@code head} (default) or
     * {@code tail}. Files that appear later are always read from their first byte.
     */
    public void setReadFrom(ReadFrom readFrom) {
        this.readFrom = readFrom;
    }

    public long getPollInterval() {
        return pollInterval;
    }

    /** Milliseconds between looks at the followed files for new data when they were idle. Default 250. */
    public void setPollInterval(long pollInterval) {
        this.pollInterval = pollInterval;
    }

    public long getScanInterval() {
        return scanInterval;
    }

    /** Milliseconds between expansions of the globs, which finds new, renamed and removed files. Default 500. */
    public void setScanInterval(long scanInterval) {
        this.scanInterval = scanInterval;
    }

    public int getMaxLineLength() {
        return maxLineLength;
    }

    /** Longest line in bytes; longer lines are split or truncated (see longLines) and counted. Default 65536. */
    public void setMaxLineLength(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    public LongLines getLongLines() {
        return longLines;
    }

    /** What to do with a line longer than maxLineLength: {@code split} (default, nothing lost) or {@code truncate}. */
    public void setLongLines(LongLines longLines) {
        this.longLines = longLines;
    }

    public int getMaxBatchLines() {
        return maxBatchLines;
    }

    /** Most lines in one exchange read from one file. Default 2000. */
    public void setMaxBatchLines(int maxBatchLines) {
        this.maxBatchLines = maxBatchLines;
    }

    public int getMaxBatchBytes() {
        return maxBatchBytes;
    }

    /** Most bytes read from one file for one exchange (at least maxLineLength + 2 is used). Default 1 MiB. */
    public void setMaxBatchBytes(int maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }

    public long getMaxInflightBytes() {
        return maxInflightBytes;
    }

    /**
     * Bytes read but not yet confirmed by the sink, over all files of the route; at the limit the tail waits
     * and the files on disk are the buffer. Default 32 MiB.
     */
    public void setMaxInflightBytes(long maxInflightBytes) {
        this.maxInflightBytes = maxInflightBytes;
    }

    public long getRotateWait() {
        return rotateWait;
    }

    /**
     * Milliseconds a renamed or deleted file stays open after it last grew, because writers keep appending
     * to a rotated file for a moment. Default 5000.
     */
    public void setRotateWait(long rotateWait) {
        this.rotateWait = rotateWait;
    }

    public int getFingerprintBytes() {
        return fingerprintBytes;
    }

    /** How much of a file's first line identifies it, in bytes. Default 1024. */
    public void setFingerprintBytes(int fingerprintBytes) {
        this.fingerprintBytes = fingerprintBytes;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    /** Milliseconds to wait before reading a file again from its committed offset after a failed delivery. Default 1000. */
    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public String getSourceId() {
        return sourceId;
    }

    /** The source part of each line's origin key; default the host name. */
    public void setSourceId(String sourceId) {
        this.sourceId = sourceId;
    }

    public String getOffsetKey() {
        return offsetKey;
    }

    /**
     * Prefix of this route's keys in the offset repository; default the route id. Two routes that follow
     * the same files for different sinks keep separate offsets through it.
     */
    public void setOffsetKey(String offsetKey) {
        this.offsetKey = offsetKey;
    }

    public StateRepository<String, String> getOffsetRepository() {
        return offsetRepository;
    }

    /** Where committed offsets are kept (key: offset key and fingerprint, value: byte offset). Default: the component's. */
    public void setOffsetRepository(StateRepository<String, String> offsetRepository) {
        this.offsetRepository = offsetRepository;
    }

    /** Rejects contradictory or impossible options with a sentence that says what to change. */
    void validate() {
        if (pathList().isEmpty()) {
            throw new IllegalArgumentException("tail: needs at least one glob, as in tail:logs/*.log");
        }
        positive("pollInterval", pollInterval);
        positive("scanInterval", scanInterval);
        positive("maxLineLength", maxLineLength);
        positive("maxBatchLines", maxBatchLines);
        positive("maxBatchBytes", maxBatchBytes);
        positive("retryDelay", retryDelay);
        if (maxInflightBytes < maxBatchBytes) {
            throw new IllegalArgumentException("tail: maxInflightBytes (" + maxInflightBytes
                    + ") must be at least maxBatchBytes (" + maxBatchBytes + ")");
        }
        if (fingerprintBytes < 16) {
            throw new IllegalArgumentException("tail: fingerprintBytes must be at least 16, was " + fingerprintBytes);
        }
    }

    int readBufferSize() {
        return Math.max(maxBatchBytes, maxLineLength + 2);
    }

    public TailConfiguration copy() {
        try {
            return (TailConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("tail: " + name + " must be greater than 0, was " + value);
        }
    }

    private static List<String> split(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
