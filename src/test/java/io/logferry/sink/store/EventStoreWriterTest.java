package io.logferry.sink.store;

import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStoreWriterTest {

    /** Makes the store fail the way a broken disk would, until the trigger is dropped. */
    static final String REFUSE_INSERTS =
            "CREATE TRIGGER refuse BEFORE INSERT ON lf_store_events BEGIN SELECT RAISE(ABORT, 'refused'); END";

    @TempDir
    Path dir;

    private EventStoreWriter writer;
    private String url;

    @BeforeEach
    void setUp() {
        url = "jdbc:sqlite:" + dir.resolve("store/events.db");
        writer = new EventStoreWriter();
        writer.setUrl(url);
        writer.start();
    }

    @AfterEach
    void tearDown() {
        writer.stop();
    }

    private static LogBatch batch(LogLine... lines) {
        return new LogBatch(List.of(lines), List.of(), 0);
    }

    private static LogLine line(long offset, String text) {
        return new LogLine("host-a", "/var/log/app.log", "00ff00ff00ff00ff", offset, text);
    }

    private static LogLine bytesLine(long offset, byte[] bytes) {
        return new LogLine("host-a", "/var/log/app.log", "00ff00ff00ff00ff", offset, bytes, 0, bytes.length);
    }

    @Test
    void linesThatAreNotUtf8TextKeepTheirExactBytesInRawBytes() throws SQLException {
        byte[] latin1 = "caf\u00e9 cr\u00e8me".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] withNul = {'a', 0, 'b'};
        byte[] binary = {(byte) 0xFF, (byte) 0xFE, 0x01, (byte) 0x80};
        writer.write(batch(line(0, "plain caf\u00e9"), bytesLine(20, latin1), bytesLine(40, withNul),
                bytesLine(60, binary)));
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT raw, raw_bytes FROM lf_store_lines ORDER BY byte_offset")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("plain caf\u00e9");
            assertThat(rs.getBytes(2)).as("valid UTF-8: raw is exact").isNull();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("caf\uFFFD cr\uFFFDme");
            assertThat(rs.getBytes(2)).isEqualTo(latin1);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBytes(2)).isEqualTo(withNul);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBytes(2)).isEqualTo(binary);
        }
    }

    @Test
    void aStoreOfSchemaOneGainsRawBytesAtStart() throws Exception {
        writer.stop();
        String old = "jdbc:sqlite:" + dir.resolve("old/events.db");
        java.nio.file.Files.createDirectories(dir.resolve("old"));
        try (Connection c = DriverManager.getConnection(old); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE lf_store_files (file_id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
                    + " fingerprint TEXT NOT NULL, path TEXT, first_seen INTEGER NOT NULL, UNIQUE (source, fingerprint))");
            st.execute("CREATE TABLE lf_store_events (id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, byte_offset"
                    + " INTEGER NOT NULL, received_at INTEGER NOT NULL, rfc5424 INTEGER NOT NULL, pri INTEGER,"
                    + " facility INTEGER GENERATED ALWAYS AS (pri / 8) VIRTUAL, severity INTEGER GENERATED ALWAYS AS"
                    + " (pri % 8) VIRTUAL, version INTEGER, ts TEXT, hostname TEXT, app_name TEXT, procid TEXT,"
                    + " msgid TEXT, sd_start INTEGER, sd_length INTEGER, msg_start INTEGER, structured_data TEXT"
                    + " GENERATED ALWAYS AS (substr(raw, sd_start, sd_length)) VIRTUAL, message TEXT GENERATED"
                    + " ALWAYS AS (substr(raw, msg_start)) VIRTUAL, raw TEXT NOT NULL, UNIQUE (file_id, byte_offset))");
            st.execute("CREATE VIEW lf_store_lines AS SELECT e.id, f.source, e.raw FROM lf_store_events e JOIN"
                    + " lf_store_files f ON f.file_id = e.file_id");
            st.execute("PRAGMA user_version = 1");
        }
        url = old;
        writer = new EventStoreWriter();
        writer.setUrl(old);
        writer.start();
        writer.write(batch(bytesLine(0, new byte[] {(byte) 0xE9})));
        assertThat(queryLong("PRAGMA user_version")).isEqualTo(2);
        assertThat(queryLong("SELECT length(raw_bytes) FROM lf_store_lines")).isEqualTo(1);
    }

    @Test
    void replayedBatchInsertsNothingTwice() throws SQLException {
        LogBatch batch = batch(line(0, "one"), line(4, "two"), line(8, "three"));
        assertThat(writer.write(batch)).isEqualTo(3);
        assertThat(writer.write(batch)).isZero();
        assertThat(queryLong("SELECT count(*) FROM lf_store_events")).isEqualTo(3);
    }

    @Test
    void originKeyDecidesDuplicatesNotTheText() throws SQLException {
        writer.write(batch(line(0, "same text")));
        // same text at another offset is another line; same offset from another source is another line too
        writer.write(batch(line(10, "same text"), new LogLine("host-b", "/x", "00ff00ff00ff00ff", 0, "same text")));
        assertThat(queryLong("SELECT count(*) FROM lf_store_events")).isEqualTo(3);
    }

    @Test
    void storesParsedRfc5424FieldsAndTheRawLine() throws SQLException {
        String raw = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\"] An application event";
        writer.write(batch(line(0, raw)));
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rfc5424, pri, facility, severity, version, ts, hostname,"
                     + " app_name, procid, msgid, structured_data, message, raw, source, fingerprint, byte_offset"
                     + " FROM lf_store_lines")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt("rfc5424")).isEqualTo(1);
            assertThat(rs.getInt("pri")).isEqualTo(165);
            assertThat(rs.getInt("facility")).isEqualTo(20);
            assertThat(rs.getInt("severity")).isEqualTo(5);
            assertThat(rs.getInt("version")).isEqualTo(1);
            assertThat(rs.getString("ts")).isEqualTo("2003-10-11T22:14:15.003Z");
            assertThat(rs.getString("hostname")).isEqualTo("mymachine.example.com");
            assertThat(rs.getString("app_name")).isEqualTo("evntslog");
            assertThat(rs.getString("procid")).isNull();
            assertThat(rs.getString("msgid")).isEqualTo("ID47");
            assertThat(rs.getString("structured_data")).isEqualTo("[exampleSDID@32473 iut=\"3\"]");
            assertThat(rs.getString("message")).isEqualTo("An application event");
            assertThat(rs.getString("raw")).isEqualTo(raw);
            assertThat(rs.getString("source")).isEqualTo("host-a");
            assertThat(rs.getString("fingerprint")).isEqualTo("00ff00ff00ff00ff");
            assertThat(rs.getLong("byte_offset")).isZero();
        }
    }

    @Test
    void cutsStructuredDataAndMessageOutOfTheRawLineWhateverItsCharacters() throws SQLException {
        String withBom = "<14>1 - host app - - [a@1 x=\"é😀\"][b@1 y=\"\\]\"] \uFEFFmessage with 😀 and ü";
        String noSd = "<14>1 - host app - - - just text";
        String noMsg = "<14>1 - host app - - [a@1 x=\"1\"]";
        writer.write(batch(line(0, withBom), line(100, noSd), line(200, noMsg)));
        assertThat(column("structured_data", 0)).isEqualTo("[a@1 x=\"é😀\"][b@1 y=\"\\]\"]");
        assertThat(column("message", 0)).isEqualTo("message with 😀 and ü");
        assertThat(column("structured_data", 100)).isNull();
        assertThat(column("message", 100)).isEqualTo("just text");
        assertThat(column("structured_data", 200)).isEqualTo("[a@1 x=\"1\"]");
        assertThat(column("message", 200)).isNull();
        assertThat(column("raw", 0)).isEqualTo(withBom);
    }

    @Test
    void keepsEachFilesOriginOnceAndFollowsItsLatestPath() throws SQLException {
        writer.write(batch(line(0, "a"), line(2, "b")));
        writer.write(batch(new LogLine("host-a", "/var/log/app.log.1", "00ff00ff00ff00ff", 4, "c")));
        assertThat(queryLong("SELECT count(*) FROM lf_store_files")).isEqualTo(1);
        assertThat(queryLong("SELECT count(*) FROM lf_store_lines WHERE path = '/var/log/app.log.1'")).isEqualTo(3);
    }

    @Test
    void aRolledBackBatchLeavesNoFileIdBehind() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(REFUSE_INSERTS);
        }
        assertThatThrownBy(() -> writer.write(batch(line(0, "lost for now")))).isInstanceOf(SQLException.class);
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER refuse");
        }
        assertThat(writer.write(batch(line(0, "lost for now")))).isEqualTo(1);
        assertThat(queryLong("SELECT count(*) FROM lf_store_lines")).isEqualTo(1);
    }

    private String column(String name, long offset) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + name + " FROM lf_store_events WHERE byte_offset = " + offset)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void storesOtherLinesRawWithAFlag() throws SQLException {
        writer.write(batch(line(0, "Oct 11 22:14:15 mymachine su: not RFC 5424")));
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rfc5424, pri, message, raw FROM lf_store_events")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt("rfc5424")).isZero();
            assertThat(rs.getObject("pri")).isNull();
            assertThat(rs.getObject("message")).isNull();
            assertThat(rs.getString("raw")).isEqualTo("Oct 11 22:14:15 mymachine su: not RFC 5424");
        }
    }

    @Test
    void versionsItsSchema() throws SQLException {
        assertThat(queryLong("PRAGMA user_version")).isEqualTo(2);
    }

    @Test
    void refusesAStoreWrittenByANewerVersion() throws SQLException {
        writer.stop();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        EventStoreWriter newer = new EventStoreWriter();
        newer.setUrl(url);
        assertThatThrownBy(newer::start).hasMessageContaining("schema version 99")
                .hasMessageContaining("newer logferry");
    }

    @Test
    void unsupportedUrlSaysWhichStoresThereAreWithoutItsPassword() {
        EventStoreWriter other = new EventStoreWriter();
        other.setUrl("jdbc:mysql://db/logs?user=a&password=secret");
        assertThatThrownBy(other::start).isInstanceOf(EventStoreException.class)
                .hasMessageContaining("jdbc:mysql://db/logs?user=a&password=***")
                .hasMessageContaining("jdbc:sqlite:").hasMessageContaining("jdbc:postgresql://")
                .message().doesNotContain("secret");
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
