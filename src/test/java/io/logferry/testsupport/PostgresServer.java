package io.logferry.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, from the machine's own installation (Debian's {@code postgresql}
 * package: {@code /usr/lib/postgresql/<version>/bin}; or {@code -Dlogferry.test.pg-bin=DIR}). Started once per
 * test JVM on a private data directory {@code target/postgres-<pid>/}, a free port on 127.0.0.1 and a private
 * unix socket directory; stopped and deleted by a shutdown hook (a server left behind by a killed JVM is stopped
 * by the next run). Each test gets a fresh database from {@link #createDatabase()}, owned by an ordinary role
 * that logs in with a password over TCP, as logferry would in production.
 *
 * <p>PostgreSQL refuses to run as root: as root the server runs as the {@code postgres} user (through
 * {@code setpriv}, else {@code runuser}). When PostgreSQL is not installed the calling test is skipped with a
 * message saying how to install it, unless {@code LOGFERRY_REQUIRE_POSTGRES=1} (set by {@code .ci/run}), which
 * makes it fail instead. Durability is off ({@code fsync=off}): the tests kill logferry, never the server.
 */
public final class PostgresServer {

    /** The role that owns each test database (not a superuser). */
    public static final String USER = "logferry";
    public static final String PASSWORD = "test-Pw-5424";
    private static final String ADMIN = "lf_admin";
    private static final String ADMIN_PASSWORD = "admin-Pw-5425";
    private static final String REQUIRE_ENV = "LOGFERRY_REQUIRE_POSTGRES";
    private static final int START_ATTEMPTS = 4;

    private static PostgresServer shared;
    private static String unavailable;

    private final Path bin;
    private final Path base;
    private final List<String> runAs;
    private final AtomicInteger databases = new AtomicInteger();
    private int port;

    private PostgresServer(Path bin, Path base, List<String> runAs) {
        this.bin = bin;
        this.base = base;
        this.runAs = runAs;
    }

    /** The server of this JVM, started on first use; skips the calling test when PostgreSQL is not installed. */
    public static synchronized PostgresServer shared() {
        if (shared == null && unavailable == null) {
            try {
                shared = start();
            } catch (Unavailable e) {
                unavailable = e.getMessage();
            }
        }
        if (unavailable != null) {
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                throw new IllegalStateException(unavailable + " (" + REQUIRE_ENV + "=1: not skipping)");
            }
            Assumptions.assumeTrue(false, unavailable);
        }
        return shared;
    }

    /** A new, empty database owned by {@link #USER}. */
    public Database createDatabase() throws SQLException {
        String name = "lf_test_" + databases.incrementAndGet();
        try (Connection c = admin("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER " + USER);
        }
        return new Database(this, name);
    }

    public int port() {
        return port;
    }

    /** JDBC URL of a database on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    Connection admin(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ADMIN);
        p.setProperty("password", ADMIN_PASSWORD);
        return DriverManager.getConnection(url(database), p);
    }

    private static PostgresServer start() throws Unavailable {
        Path bin = findBin();
        List<String> runAs = runAs();
        Path target = Path.of("target").toAbsolutePath();
        try {
            Files.createDirectories(target);
            stopLeftovers(bin, target, runAs);
            Path base = target.resolve("postgres-" + ProcessHandle.current().pid());
            if (!runAs.isEmpty() && !othersCanEnter(target)) {
                base = Files.createTempDirectory("logferry-postgres-");
            }
            PostgresServer server = new PostgresServer(bin, base, runAs);
            server.initAndStart();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-server-stop"));
            return server;
        } catch (IOException | InterruptedException | SQLException e) {
            throw new IllegalStateException("Could not start the test PostgreSQL server from " + bin + ": " + e, e);
        }
    }

    private void initAndStart() throws IOException, InterruptedException, SQLException {
        deleteRecursively(base);
        Files.createDirectories(base.resolve("sock"));
        Path pwfile = base.resolve("pwfile");
        Files.writeString(pwfile, ADMIN_PASSWORD + "\n");
        giveToServerUser(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        run(List.of(bin.resolve("initdb").toString(), "-D", base.resolve("data").toString(), "-U", ADMIN,
                "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                "--no-locale", "--no-sync"), base.resolve("initdb.log"), 120);
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            port = freePort();
            String options = "-p " + port + " -k '" + base.resolve("sock") + "' -c listen_addresses=127.0.0.1"
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=80"
                    + " -c shared_buffers=32MB";
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", base.resolve("data").toString(), "-l",
                        base.resolve("server.log").toString(), "-w", "-t", "60", "-o", options, "start"),
                        base.resolve("pg_ctl.log"), 90);
                last = null;
                break;
            } catch (IOException e) {
                last = e; // most likely the port was taken between freePort() and the bind: try another
            }
        }
        if (last != null) {
            throw last;
        }
        try (Connection c = admin("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        }
        System.out.println("PostgresServer: " + bin + " running on 127.0.0.1:" + port + ", data in " + base);
    }

    private void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", base.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), base.resolve("pg_ctl.log"), 60);
        } catch (IOException | InterruptedException e) {
            System.err.println("PostgresServer: could not stop the server in " + base + ": " + e);
        }
        deleteQuietly(base);
    }

    /** Servers of JVMs that were killed before their shutdown hook ran. */
    private static void stopLeftovers(Path bin, Path target, List<String> runAs) throws IOException {
        try (Stream<Path> dirs = Files.list(target)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("postgres-\\d+")).toList()) {
                long pid = Long.parseLong(dir.getFileName().toString().substring("postgres-".length()));
                if (ProcessHandle.of(pid).isPresent() || !Files.isDirectory(dir.resolve("data"))) {
                    continue;
                }
                PostgresServer old = new PostgresServer(bin, dir, runAs);
                old.stop();
            }
        }
    }

    private void run(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            String server = Files.exists(base.resolve("server.log")) ? Files.readString(base.resolve("server.log")) : "";
            throw new IOException(String.join(" ", full) + " failed with exit code " + p.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8) + server);
        }
    }

    private static Path findBin() throws Unavailable {
        String configured = System.getProperty("logferry.test.pg-bin", System.getenv("LOGFERRY_PG_BIN"));
        if (configured != null && !configured.isBlank()) {
            Path bin = Path.of(configured);
            if (Files.isExecutable(bin.resolve("initdb"))) {
                return bin;
            }
            throw new Unavailable("No initdb in " + bin + " (logferry.test.pg-bin / LOGFERRY_PG_BIN)");
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new Unavailable("Cannot list " + debian + ": " + e);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new Unavailable("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on the PATH):"
                + " the PostgreSQL store tests are skipped. Install it with: apt-get install -y postgresql");
    }

    /** As root, the command prefix that runs the server as the postgres user; otherwise none. */
    private static List<String> runAs() throws Unavailable {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        if (!hasUser("postgres")) {
            throw new Unavailable("PostgreSQL refuses to run as root and there is no postgres user to run it as");
        }
        if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            return List.of("/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups");
        }
        if (Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            return List.of("/usr/sbin/runuser", "-u", "postgres", "--");
        }
        throw new Unavailable("PostgreSQL refuses to run as root, and neither setpriv nor runuser is installed");
    }

    private static boolean hasUser(String name) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    private void giveToServerUser(Path dir) throws IOException {
        if (runAs.isEmpty()) {
            return;
        }
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        var owner = users.lookupPrincipalByName("postgres");
        var group = users.lookupPrincipalByGroupName("postgres");
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setOwner(p, owner);
                Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
            }
        }
    }

    /** Whether another user can reach a directory below dir (every ancestor searchable by others). */
    private static boolean othersCanEnter(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            System.err.println("PostgresServer: could not delete " + dir + ": " + e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One test's database on the shared server. */
    public static final class Database {

        private final PostgresServer server;
        private final String name;

        private Database(PostgresServer server, String name) {
            this.server = server;
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** JDBC URL without credentials (pass {@link PostgresServer#USER} / {@link PostgresServer#PASSWORD}). */
        public String url() {
            return server.url(name);
        }

        /** A connection as the owner, autocommit on. */
        public Connection connect() throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", USER);
            p.setProperty("password", PASSWORD);
            return DriverManager.getConnection(url(), p);
        }

        /** One number from the database; 0 when the table does not exist yet (the writer has not started). */
        public long queryLong(String sql) {
            try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getLong(1) : 0;
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())) {
                    return 0;
                }
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        public void execute(String sql) throws SQLException {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }

        /** Runs SQL in this database as the server's superuser (to create roles, say). */
        public void executeAsAdmin(String sql) throws SQLException {
            try (Connection c = server.admin(name); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }

        /** Ends the server side of every connection logferry has open to this database, as a crash would. */
        public int terminateLogferryConnections() throws SQLException {
            try (Connection c = server.admin("postgres"); PreparedStatement ps = c.prepareStatement(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            + " WHERE datname = ? AND application_name = 'logferry'")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }

        @Override
        public String toString() {
            return url();
        }
    }

    private static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }
}
