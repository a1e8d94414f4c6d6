package io.logferry.offset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteOffsetStoreTest {

    @TempDir
    Path dir;

    @Test
    void keepsOffsetsAcrossRestarts() {
        Path file = dir.resolve("data/offsets.db");
        SqliteOffsetStore store = new SqliteOffsetStore(file);
        store.start();
        store.setState("route/abc", "42");
        store.setState("route/abc", "4200");
        store.setState("route/def", "7");
        store.stop();

        SqliteOffsetStore reopened = new SqliteOffsetStore(file);
        reopened.start();
        assertThat(reopened.getState("route/abc")).isEqualTo("4200");
        assertThat(reopened.getState("route/def")).isEqualTo("7");
        assertThat(reopened.getState("route/none")).isNull();
        reopened.stop();
    }

    @Test
    void refusesAFileThatIsNotADatabaseAndSaysWhatToDo() throws IOException {
        Path file = dir.resolve("offsets.db");
        Files.writeString(file, "this is not sqlite at all, but it is long enough to look like a header".repeat(20));
        SqliteOffsetStore store = new SqliteOffsetStore(file);
        assertThatThrownBy(store::start)
                .isInstanceOf(OffsetStoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a valid SQLite database")
                .hasMessageContaining("will not silently start again from offset 0");
    }

    @Test
    void refusesADatabaseLockedByAnotherLogferry() {
        Path file = dir.resolve("offsets.db");
        SqliteOffsetStore first = new SqliteOffsetStore(file);
        first.start();
        try {
            SqliteOffsetStore second = new SqliteOffsetStore(file);
            assertThatThrownBy(second::start)
                    .isInstanceOf(OffsetStoreException.class)
                    .hasMessageContaining("locked by another process")
                    .hasMessageContaining("logferry.offsets.db-path");
        } finally {
            first.stop();
        }
    }

    @Test
    void refusesADatabaseFromANewerVersion() throws Exception {
        Path file = dir.resolve("offsets.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 7");
        }
        SqliteOffsetStore store = new SqliteOffsetStore(file);
        assertThatThrownBy(store::start).hasMessageContaining("schema version 7");
    }
}
