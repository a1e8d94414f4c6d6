package io.logferry.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The settings every logferry SQLite file shares (WAL, an explicit synchronous level, a busy timeout) and its
 * schema version in {@code PRAGMA user_version}: the offsets, the event store, the dead letters and the
 * listener's state.
 */
public final class SqlitePragmas {

    private SqlitePragmas() {
    }

    /** WAL with the given {@code synchronous} level (OFF, NORMAL, FULL or EXTRA). */
    public static void wal(Statement st, String synchronous, int busyTimeoutMillis) throws SQLException {
        st.execute("PRAGMA busy_timeout = " + busyTimeoutMillis);
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = " + synchronous);
    }

    /** The schema version stored in the file; 0 for a new file. */
    public static int userVersion(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** The schema version in the file, refused when a newer logferry wrote it (this one knows {@code known}). */
    public static int checkedUserVersion(Statement st, int known) throws SQLException {
        int version = userVersion(st);
        if (version > known) {
            throw new SQLException("schema version " + version + " was written by a newer logferry (this one knows "
                    + known + ")");
        }
        return version;
    }

    public static void setUserVersion(Statement st, int version) throws SQLException {
        st.execute("PRAGMA user_version = " + version);
    }
}
