package io.logferry.tail;

/**
 * One followed file as management sees it: where it is, what it is known by, how far it is committed and read.
 *
 * @param path            where the file is now (a renamed file keeps its old path until it is found again)
 * @param fingerprint     the file's identity: the fingerprint of its first line, with an inode hint if needed
 * @param committedOffset bytes confirmed by the sink: where reading resumes after a restart
 * @param readOffset      bytes read (sent, perhaps not yet confirmed)
 * @param sizeBytes       the file's size when the tail last looked at it
 */
public record TailedFileStatus(String path, String fingerprint, long committedOffset, long readOffset,
                               long sizeBytes) {

    /** Bytes in the file that are not confirmed yet: size minus committed offset (never negative). */
    public long lagBytes() {
        return Math.max(0, sizeBytes - committedOffset);
    }
}
