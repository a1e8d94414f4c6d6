package io.logferry.offset;


import io.logferry.sqlite.SqlitePragmas;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Committed read offsets in a SQLite file, behind Camel's {@link StateRepository} SPI (key: route and file
 * fingerprint, value: the decimal byte offset). WAL with synchronous=NORMAL: a process crash loses nothing
 * committed, and a power loss can only move offsets back, which replays lines the sinks deduplicate.
 *
 * <p>A lock file beside the database ({@code offsets.db.lock}, held while running and released by the
 * operating system even after kill -9) makes a second logferry on the same file fail at start instead of
 * both reading the same files. A file that is not a SQLite database, is from a newer logferry or
 * fails its integrity check stops start-up: logferry never silently starts again from offset 0.
 * Thread-safe.
 */
public final class SqliteOffsetStore extends ServiceSupport implements StateRepository<String, String> {

    private final Path file;
    private FileChannel lockChannel;
    private Connection connection;
    private PreparedStatement select;
    private PreparedStatement upsert;

    public SqliteOffsetStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    protected synchronized void doStart() {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new OffsetStoreException("Cannot create the directory of the offsets database " + file
                    + " (" + e + "). Fix its permissions or set logferry.offsets.db-path to a writable place.", e);
        }
        lock();
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = connection.createStatement()) {
                SqlitePragmas.wal(st, "NORMAL", 2_000);
                checkIntegrity(st);
                migrate(st);
            }
            select = connection.prepareStatement(OffsetSql.SELECT);
            upsert = connection.prepareStatement(OffsetSql.UPSERT);
        } catch (SQLException e) {
            closeQuietly();
            throw explain(e);
        }
    }

    @Override
    protected synchronized void doStop() {
        closeQuietly();
    }

    @Override
    public synchronized void setState(String key, String value) {
        try {
            upsert.setString(1, key);
            upsert.setString(2, value);
            upsert.setLong(3, System.currentTimeMillis());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new OffsetStoreException("Cannot save offset of " + key + " in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized String getState(String key) {
        try {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new OffsetStoreException("Cannot read offset of " + key + " from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every key with a saved offset, sorted. */
    public synchronized List<String> keys() {
        List<String> keys = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(OffsetSql.KEYS)) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys;
        } catch (SQLException e) {
            throw new OffsetStoreException("Cannot list the offsets in " + file + ": " + e.getMessage(), e);
        }
    }

    private void checkIntegrity(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            String result = rs.next() ? rs.getString(1) : "no result";
            if (!"ok".equals(result)) {
                throw new OffsetStoreException("The offsets database " + file + " is damaged (" + result + "). "
                        + moveAsideAdvice(), null);
            }
        }
    }

    private void migrate(Statement st) throws SQLException {
        int version = SqlitePragmas.userVersion(st);
        if (version > OffsetSql.SCHEMA_VERSION) {
            throw new OffsetStoreException("The offsets database " + file + " has schema version " + version
                    + ", written by a newer logferry (this one knows " + OffsetSql.SCHEMA_VERSION
                    + "). Run the newer logferry, or point logferry.offsets.db-path at another file.", null);
        }
        st.execute(OffsetSql.CREATE_TABLE);
        SqlitePragmas.setUserVersion(st, OffsetSql.SCHEMA_VERSION);
    }

    private void lock() {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (lockChannel.tryLock() != null) {
                return;
            }
        } catch (OverlappingFileLockException e) {
            // held by this very process
        } catch (IOException e) {
            throw new OffsetStoreException("Cannot create the lock file " + lockFile + " (" + e + "). Fix the"
                    + " permissions of its directory or set logferry.offsets.db-path to a writable place.", e);
        }
        closeQuietly();
        throw new OffsetStoreException("The offsets database " + file + " is locked by another process (lock file "
                + lockFile + "), most likely another logferry using the same data directory. Stop it, or give this"
                + " one its own logferry.offsets.db-path.", null);
    }

    private OffsetStoreException explain(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED) {
                return new OffsetStoreException("The offsets database " + file + " is locked by another process,"
                        + " most likely another logferry using the same data directory. Stop it, or give this one"
                        + " its own logferry.offsets.db-path.", e);
            }
            if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT) {
                return new OffsetStoreException("The offsets database " + file + " is not a valid SQLite database ("
                        + e.getMessage() + "). " + moveAsideAdvice(), e);
            }
        }
        return new OffsetStoreException("Cannot open the offsets database " + file + ": " + e.getMessage()
                + ". Check that the file and its directory are readable and writable.", e);
    }

    private String moveAsideAdvice() {
        return "logferry will not silently start again from offset 0: restore the file from a backup, or move it"
                + " aside to read every file again from the start (the event store ignores lines it already has).";
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing after a failure: the original error is what matters
        }
        connection = null;
        try {
            if (lockChannel != null) {
                lockChannel.close(); // releases the lock
            }
        } catch (IOException ignored) {
            // the operating system releases the lock with the process anyway
        }
        lockChannel = null;
    }
}
