package io.logferry.sink.store;

import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The event store writer against a real PostgreSQL server (skipped when PostgreSQL is not installed). */
class PostgresEventStoreWriterTest {

    private PostgresServer.Database db;
    private final List<EventStoreWriter> writers = new ArrayList<>();

    @BeforeEach
    void setUp() throws SQLException {
        db = PostgresServer.shared().createDatabase();
    }

    @AfterEach
    void tearDown() {
        writers.forEach(EventStoreWriter::stop);
    }

    private EventStoreWriter startWriter() {
        EventStoreWriter writer = writer(db.url(), PostgresServer.USER, PostgresServer.PASSWORD);
        writer.start();
        return writer;
    }

    private EventStoreWriter writer(String url, String user, String password) {
        EventStoreWriter writer = new EventStoreWriter();
        writer.setUrl(url);
        writer.setUser(user);
        writer.setPassword(password);
        writer.setConnectTimeout(3000);
        writers.add(writer);
        return writer;
    }

    private static LogBatch batch(LogLine... lines) {
        return new LogBatch(List.of(lines), List.of(), 0);
    }

    private static LogLine line(long offset, String text) {
        return new LogLine("host-a", "/var/log/app.log", "00ff00ff00ff00ff", offset, text);
    }

    @Test
    void storesABatchAndAReplayInsertsNothing() throws SQLException {
        EventStoreWriter writer = startWriter();
        LogBatch batch = batch(line(0, "one"), line(4, "two"), line(8, "three"));
        assertThat(writer.write(batch)).isEqualTo(3);
        assertThat(writer.write(batch)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_events")).isEqualTo(3);
        // same text at another offset, or the same offset from another source, is another line
        assertThat(writer.write(batch(line(0, "one"), line(12, "one"),
                new LogLine("host-b", "/x", "00ff00ff00ff00ff", 0, "one")))).isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_events")).isEqualTo(5);
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_files")).isEqualTo(2);
    }

    @Test
    void storesParsedRfc5424FieldsWithPostgresTypesAndTheRawLine() throws SQLException {
        EventStoreWriter writer = startWriter();
        String raw = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\"] An application event";
        writer.write(batch(line(0, raw)));
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rfc5424, pri, facility, severity, version, ts, hostname,"
                     + " app_name, procid, msgid, structured_data, message, raw, source, fingerprint, byte_offset,"
                     + " received_at FROM lf_store_lines")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean("rfc5424")).isTrue();
            assertThat(rs.getInt("pri")).isEqualTo(165);
            assertThat(rs.getInt("facility")).isEqualTo(20);
            assertThat(rs.getInt("severity")).isEqualTo(5);
            assertThat(rs.getInt("version")).isEqualTo(1);
            assertThat(rs.getObject("ts", OffsetDateTime.class).toInstant())
                    .isEqualTo(OffsetDateTime.parse("2003-10-11T22:14:15.003Z").toInstant());
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
            assertThat(rs.getObject("received_at", OffsetDateTime.class))
                    .isAfter(OffsetDateTime.now().minusMinutes(5));
        }
    }

    @Test
    void storesEveryCharacterAsReadExceptNulWhichPostgresCannotHold() throws SQLException {
        EventStoreWriter writer = startWriter();
        String withBom = "<14>1 - host app - - [a@1 x=\"é😀\"][b@1 y=\"\\]\"] \uFEFFmessage with 😀 and ü";
        String quoting = "NULL";
        String specials = "a \"quoted\" {brace}, back\\slash\ttab 'single'";
        String withNul = "<14>1 - host app - - - before\0after";
        String noMsg = "<14>1 - host app - - [a@1 x=\"1\"]";
        writer.write(batch(line(0, withBom), line(100, quoting), line(200, specials), line(300, withNul),
                line(400, noMsg)));
        assertThat(column("structured_data", 0)).isEqualTo("[a@1 x=\"é😀\"][b@1 y=\"\\]\"]");
        assertThat(column("message", 0)).isEqualTo("message with 😀 and ü");
        assertThat(column("raw", 0)).isEqualTo(withBom);
        assertThat(column("raw", 100)).isEqualTo("NULL");
        assertThat(column("raw", 200)).isEqualTo(specials);
        assertThat(column("raw", 300)).isEqualTo("<14>1 - host app - - - before\uFFFDafter");
        assertThat(column("message", 300)).isEqualTo("before\uFFFDafter");
        assertThat(column("structured_data", 400)).isEqualTo("[a@1 x=\"1\"]");
        assertThat(column("message", 400)).isNull();
        assertThat(column("rfc5424::text", 200)).isEqualTo("false");
        assertThat(column("pri::text", 200)).isNull();
        // the NUL is kept, exactly, in raw_bytes; lines that are text have none
        assertThat(column("encode(raw_bytes, 'hex')", 300)).isEqualTo(java.util.HexFormat.of()
                .formatHex(withNul.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(column("raw_bytes", 0)).isNull();
    }

    @Test
    void aLatin1LineIsStoredAsTextWithReplacementsAndExactlyInRawBytes() throws SQLException {
        EventStoreWriter writer = startWriter();
        byte[] latin1 = "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        writer.write(batch(new LogLine("host-a", "/var/log/app.log", "00ff00ff00ff00ff", 500, latin1, 0,
                latin1.length)));
        assertThat(column("raw", 500)).isEqualTo("caf\uFFFD");
        assertThat(column("encode(raw_bytes, 'hex')", 500)).isEqualTo("636166e9");
    }

    @Test
    void aTimestampPostgresRefusesIsStoredAsNullNotAFailedBatch() throws SQLException {
        EventStoreWriter writer = startWriter();
        writer.write(batch(line(0, "<14>1 2021-02-29T10:00:00Z host app - - - no such day"),
                line(100, "<14>1 0000-01-01T00:00:00Z host app - - - year zero"),
                line(200, "<14>1 2020-01-01T00:00:00+16:00 host app - - - offset too far"),
                line(300, "<14>1 2020-02-29T23:59:59.999999-15:59 host app - - - fine")));
        assertThat(column("ts::text", 0)).isNull();
        assertThat(column("ts::text", 100)).isNull();
        assertThat(column("ts::text", 200)).isNull();
        assertThat(column("message", 200)).isEqualTo("offset too far");
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_events WHERE byte_offset = 300"
                + " AND ts = '2020-03-01T15:58:59.999999Z'")).isEqualTo(1);
    }

    @Test
    void keepsEachFilesOriginOnceAndFollowsItsLatestPath() throws SQLException {
        EventStoreWriter writer = startWriter();
        writer.write(batch(line(0, "a"), line(2, "b")));
        writer.write(batch(new LogLine("host-a", "/var/log/app.log.1", "00ff00ff00ff00ff", 4, "c")));
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_files")).isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_lines WHERE path = '/var/log/app.log.1'"))
                .isEqualTo(3);
    }

    @Test
    void aFailedBatchLeavesNothingAndTheNextOneWorks() throws SQLException {
        EventStoreWriter writer = startWriter();
        db.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'refused'; END $$");
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON lf_store_events FOR EACH ROW EXECUTE FUNCTION refuse()");
        LogBatch batch = batch(line(0, "lost for now"), line(13, "and this"));
        assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(SQLException.class).hasMessageContaining("refused");
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_files")).isZero();
        db.execute("DROP TRIGGER refuse ON lf_store_events");
        assertThat(writer.write(batch)).isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_lines")).isEqualTo(2);
    }

    @Test
    void aConnectionLostDuringABatchFailsItAndTheWriterReconnects() throws Exception {
        EventStoreWriter writer = startWriter();
        writer.write(batch(line(0, "before")));
        LogBatch batch = batch(line(7, "during"), line(14, "also during"));
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.execute("LOCK TABLE lf_store_events IN EXCLUSIVE MODE");
            }
            // the batch waits for the lock; its connection is cut under it
            CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> {
                try {
                    return writer.write(batch);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(30, TimeUnit.SECONDS).until(() -> db.queryLong("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = 'logferry' AND wait_event_type = 'Lock'") == 1);
            assertThat(db.terminateLogferryConnections()).isEqualTo(1);
            assertThatThrownBy(write::join).hasRootCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("Lost the connection to the event store " + db.url())
                    .hasMessageContaining("retried on a new connection");
            blocker.rollback();
        }
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_events")).isEqualTo(1);
        assertThat(writer.write(batch)).isEqualTo(2);
        // an idle connection cut between batches is noticed when the next batch borrows it
        db.terminateLogferryConnections();
        await().atMost(30, TimeUnit.SECONDS).ignoreExceptions()
                .until(() -> writer.write(batch(line(30, "after"))) >= 0);
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_events")).isEqualTo(4);
    }

    @Test
    void concurrentWritersOfManyInstancesShareFileIdsAndLoseNoRow() throws Exception {
        int writers = 4;
        int batches = 30;
        int linesPerFile = 20;
        List<EventStoreWriter> started = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            started.add(startWriter());
        }
        // every writer writes every batch (as instances with the same source id would after a failover), each
        // in its own order of batches and of files within them; files are shared, lines are duplicated
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        Set<String> reasons = ConcurrentHashMap.newKeySet();
        try {
            List<Future<Integer>> failures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                EventStoreWriter writer = started.get(w);
                long seed = w;
                failures.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int b = 0; b < batches; b++) {
                        order.add(b);
                    }
                    Collections.shuffle(order, new Random(seed));
                    int failed = 0;
                    for (int b : order) {
                        LogBatch batch = sharedBatch(b, linesPerFile, seed);
                        // a failed batch (a deadlock between two writers, say) is delivered again, as Camel would
                        for (int attempt = 0; ; attempt++) {
                            try {
                                writer.write(batch);
                                break;
                            } catch (SQLException e) {
                                failed++;
                                reasons.add(e.getMessage().replaceAll("\\d+", "N"));
                                assertThat(attempt).as("attempts of batch %d: %s", b, e).isLessThan(10);
                            }
                        }
                    }
                    return failed;
                }));
            }
            int failed = 0;
            for (Future<Integer> f : failures) {
                failed += f.get(120, TimeUnit.SECONDS);
            }
            System.out.println("concurrent writers: " + failed + " batches failed and were written again: " + reasons);
        } finally {
            pool.shutdownNow();
        }
        long files = 6;
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_files")).isEqualTo(files);
        assertThat(db.queryLong("SELECT count(DISTINCT (source, fingerprint)) FROM lf_store_files")).isEqualTo(files);
        long expected = files * batches * linesPerFile;
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_events")).isEqualTo(expected);
        assertThat(db.queryLong("SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(expected);
        assertThat(db.queryLong("SELECT count(*) FROM lf_store_events e LEFT JOIN lf_store_files f USING (file_id)"
                + " WHERE f.file_id IS NULL")).isZero();
    }

    /** Batch b: linesPerFile lines of each of 6 files (3 fingerprints from 2 sources), files in a shuffled order. */
    private static LogBatch sharedBatch(int b, int linesPerFile, long seed) {
        List<String[]> files = new ArrayList<>();
        for (String source : new String[] {"host-a", "host-b"}) {
            for (String fingerprint : new String[] {"f1", "f2", "f3"}) {
                files.add(new String[] {source, fingerprint});
            }
        }
        Collections.shuffle(files, new Random(seed * 1000 + b));
        List<LogLine> lines = new ArrayList<>();
        for (String[] file : files) {
            for (int i = 0; i < linesPerFile; i++) {
                long offset = (long) b * linesPerFile + i;
                lines.add(new LogLine(file[0], "/logs/" + file[1], file[1], offset * 100,
                        file[0] + " " + file[1] + " line " + offset));
            }
        }
        return new LogBatch(lines, List.of(), 0);
    }

    @Test
    void instancesStartingTogetherCreateTheSchemaOnce() throws Exception {
        List<EventStoreWriter> many = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            many.add(writer(db.url(), PostgresServer.USER, PostgresServer.PASSWORD));
        }
        List<CompletableFuture<Void>> starts = many.stream()
                .map(w -> CompletableFuture.runAsync(w::start)).toList();
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(db.queryLong("SELECT value::int FROM lf_store_meta WHERE key = 'schema_version'")).isEqualTo(2);
        assertThat(many.get(3).write(batch(line(0, "x")))).isEqualTo(1);
    }

    @Test
    void aUserWithoutCreatePrivilegeWritesIntoTheSchemaTheOwnerCreated() throws SQLException {
        startWriter().stop(); // the owner's first start creates the schema
        String role = db.name() + "_writer";
        db.executeAsAdmin("CREATE ROLE " + role + " LOGIN PASSWORD 'dml-only'");
        db.executeAsAdmin("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        db.execute("GRANT SELECT, INSERT, UPDATE ON lf_store_meta, lf_store_files, lf_store_events TO " + role);
        EventStoreWriter writer = writer(db.url(), role, "dml-only");
        writer.start();
        assertThat(writer.write(batch(line(0, "written by a role that cannot create tables")))).isEqualTo(1);
        assertThat(writer.write(batch(line(0, "written by a role that cannot create tables")))).isZero();
    }

    @Test
    void refusesAStoreWrittenByANewerVersion() throws SQLException {
        startWriter().stop();
        db.execute("UPDATE lf_store_meta SET value = '99' WHERE key = 'schema_version'");
        assertThatThrownBy(() -> writer(db.url(), PostgresServer.USER, PostgresServer.PASSWORD).start())
                .hasMessageContaining("schema version 99").hasMessageContaining("newer logferry")
                .hasMessageContaining(db.url());
    }

    @Test
    void unreachableServerAtStartUpNamesTheUrlAndTheFix() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/logs?password=in-the-url";
        assertThatThrownBy(() -> writer(url, "logferry", "secret-1").start())
                .isInstanceOf(EventStoreException.class)
                .hasMessageStartingWith("Cannot connect to the event store jdbc:postgresql://127.0.0.1:" + closedPort
                        + "/logs?password=***")
                .hasMessageContaining("Check that PostgreSQL runs at that host and port")
                .message().doesNotContain("in-the-url").doesNotContain("secret-1");
    }

    @Test
    void wrongPasswordAtStartUpSaysSoWithoutShowingIt() {
        assertThatThrownBy(() -> writer(db.url(), PostgresServer.USER, "not-the-password").start())
                .isInstanceOf(EventStoreException.class)
                .hasMessageStartingWith("Cannot log in to the event store " + db.url() + " (user logferry)")
                .hasMessageContaining("password authentication failed")
                .hasMessageContaining("storePassword")
                .message().doesNotContain("not-the-password");
    }

    @Test
    void missingDatabaseAtStartUpSaysHowToCreateIt() {
        String url = db.url() + "_missing";
        assertThatThrownBy(() -> writer(url, PostgresServer.USER, PostgresServer.PASSWORD).start())
                .isInstanceOf(EventStoreException.class)
                .hasMessageStartingWith("The event store database does not exist: " + url)
                .hasMessageContaining("createdb");
    }

    private String column(String expression, long offset) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + expression + " FROM lf_store_events WHERE byte_offset = "
                     + offset)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
