#!/usr/bin/env bash
# Start-up benchmark for logferry: how long from spawning the JVM until the first log line is delivered?
#
#   bench/startup-bench.sh [--pipeline store|hec] [--runs K] [--jar PATH] [--java PATH] [--java-opts "..."]
#                          [--extra-opts "..."] [--train cds|aot] [--label TEXT] [--timeout SECONDS]
#                          [--poll-ms MS] [--quiet-wait SECONDS] [--server-opts "..."] [--server-cp CP] [--keep]
#
# Each run gets a fresh directory with a copy of config/ (the metrics/health port set to a free one) and a
# logs/app.log that ALREADY holds one RFC 5424 line. The clock starts just before logferry's JVM is spawned and
# stops at the first poll (every 20 ms) that sees the line delivered: a row in data/events.db (store: the default
# pipeline, tail-to-store into SQLite) or an event at the fake Splunk HEC server (hec: tail-to-hec; the server is
# started, and warmed up with 50 events of its own, before the clock). At that moment the JVM's CPU seconds
# (utime + stime) and peak RSS (VmHWM) are sampled; logferry's own log gives the times of its first log line, of
# Camel's "is starting" and "started" lines (and Camel's "started in" figure) and of the tail's "Following" line.
# Then logferry gets SIGTERM and the harness waits for it to exit. Other harnesses: bench/README.md.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"

PIPELINE=store
RUNS=5
JAR="target/logferry.jar"
JAVA_BIN="java"
JAVA_OPTS=""
JAVA_OPTS_SET=0
EXTRA_OPTS=""
TRAIN=none
LABEL=""
TIMEOUT=60
POLL_MS=20
QUIET_WAIT=0
STOP_TIMEOUT=60
SERVER_OPTS="-Xmx256m -XX:+UseParallelGC"
SERVER_CP=""
KEEP=0
TOKEN="11111111-2222-3333-4444-555555555555"
SERVER_MAIN="io.logferry.testsupport.hec.FakeHecServerMain"
LINE='<165>1 2026-11-23T18:30:00.123Z web-01 nginx 42 ACCESS - seq=0'

usage() {
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    echo; cat <<'EOF'
Options:
  --pipeline P          store (default: config/routes as shipped, tail-to-store into SQLite data/events.db) or
                        hec (tail-to-hec into the fake HEC server from target/test-classes, ack off)
  --runs K              measured runs (default 5); the summary gives median, min and max
  --jar PATH            logferry jar; relative paths are relative to the repository root (default
                        target/logferry.jar, built with mvn -o -q -DskipTests package when it, or for hec
                        target/test-classes, is missing). Copied once into the work directory; every run uses
                        that copy, so a CDS archive or AOT cache made by --train matches it.
  --java PATH           the java launcher (default: java on the PATH; e.g.
                        /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
  --java-opts "..."     JVM options (default: the options in config/jvm.options, as `java @config/jvm.options`)
  --extra-opts "..."    more JVM options after --java-opts, e.g. "-XX:TieredStopAtLevel=1" or
                        "-Dcamel.main.jmxEnabled=false"
  --train cds|aot       first one training run (reported, not in the summary) that writes a class archive
                        into the work directory, then every measured run uses it:
                          cds: -XX:ArchiveClassesAtExit=logferry.jsa, then -XX:SharedArchiveFile=logferry.jsa
                               (dynamic AppCDS, JDK 13+)
                          aot: -XX:AOTCacheOutput=logferry.aot, then -XX:AOTCache=logferry.aot
                               (JEP 483/514 one-step AOT cache, JDK 25+)
                        The archive is checked with -Xshare:on / -XX:AOTMode=on before the measured runs.
  --label TEXT          name of the variant in the summary and the markdown row (default: from the options)
  --timeout SECONDS     fail when the line has not arrived this long after the spawn (default 60)
  --poll-ms MS          interval of the delivery polls (default 20)
  --quiet-wait SECONDS  before each spawn, wait up to this long for a second in which other processes use
                        under 0.15 cores (default 0: do not wait); a run with other load over 0.25 cores is
                        marked "busy" in its line and the summary
  --server-opts "..."   JVM options of the fake HEC server (default -Xmx256m -XX:+UseParallelGC)
  --server-cp CP        class path of the fake HEC server (default: target/test-classes and the test
                        dependencies from mvn -o dependency:build-classpath)
  --keep                keep the work directory (bench/work/startup-<timestamp>) after a successful run; its
                        run-N/logferry.out files are logferry's start-up logs
Figures per run (seconds from the spawn unless noted):
  first line   the poll that saw the line delivered (the clock; includes up to one poll interval)
  CPU-s        utime + stime of the JVM until then (all threads; /proc/PID/stat, CLK_TCK ticks)
  RSS          VmHWM (peak resident set) at that moment
  first log    logferry's first log line (JVM start, class loading, picocli, logback)
  ctx starting Camel's "Apache Camel ... (logferry) is starting" line (camel-main has read the properties,
               configured components and loaded the routes; the context starts the routes next)
  started      Camel's "Apache Camel ... (logferry) started in X" line; "camel" is Camel's X
  following    the tail's "Following logs/app.log" line (its first scan found the file)
  after start  first line minus started: the tail's first read, the batch (completionTimeout) and the sink
  other load   cores busy with other processes during the window (from /proc/stat)
EOF
}

die() {
    echo "startup-bench: FAIL: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --pipeline) PIPELINE="${2:?--pipeline needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --jar) JAR="${2:?--jar needs a value}"; shift 2 ;;
        --java) JAVA_BIN="${2:?--java needs a value}"; shift 2 ;;
        --java-opts) JAVA_OPTS="${2?--java-opts needs a value}"; JAVA_OPTS_SET=1; shift 2 ;;
        --extra-opts) EXTRA_OPTS="${2?--extra-opts needs a value}"; shift 2 ;;
        --train) TRAIN="${2:?--train needs a value}"; shift 2 ;;
        --label) LABEL="${2:?--label needs a value}"; shift 2 ;;
        --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
        --poll-ms) POLL_MS="${2:?--poll-ms needs a value}"; shift 2 ;;
        --quiet-wait) QUIET_WAIT="${2:?--quiet-wait needs a value}"; shift 2 ;;
        --server-opts) SERVER_OPTS="${2?--server-opts needs a value}"; shift 2 ;;
        --server-cp) SERVER_CP="${2:?--server-cp needs a value}"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
[[ "$PIPELINE" == store || "$PIPELINE" == hec ]] || die "--pipeline must be store or hec, was '$PIPELINE'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, was '$RUNS'"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, was '$TIMEOUT'"
[[ "$POLL_MS" =~ ^[1-9][0-9]*$ ]] || die "--poll-ms must be a positive integer, was '$POLL_MS'"
[[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--quiet-wait must be a whole number of seconds, was '$QUIET_WAIT'"
case "$TRAIN" in none|cds|aot) ;; *) die "--train must be cds or aot, was '$TRAIN'" ;; esac
[[ "$JAR" = /* ]] || JAR="$REPO_ROOT/$JAR"
if [[ $JAVA_OPTS_SET -eq 0 ]]; then
    # What a user gets from `java @config/jvm.options -jar ...`: the non-comment lines.
    JAVA_OPTS="$(grep -v '^[[:space:]]*\(#\|$\)' "$REPO_ROOT/config/jvm.options" | tr '\n' ' ' | sed 's/ *$//')"
fi
ALL_OPTS="$JAVA_OPTS${EXTRA_OPTS:+ $EXTRA_OPTS}"

command -v "$JAVA_BIN" >/dev/null || die "no java launcher '$JAVA_BIN'"
JAVA_BIN="$(command -v "$JAVA_BIN")"
for tool in python3 getconf; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
# Build only what is missing (never the tests): the jar, and for hec the fake server in target/test-classes.
if [[ "$JAR" == "$REPO_ROOT/target/logferry.jar" && ( ! -f "$JAR" || ( "$PIPELINE" == hec && -z "$SERVER_CP" && \
        ! -f "$REPO_ROOT/target/test-classes/${SERVER_MAIN//.//}.class" ) ) ]]; then
    echo "building:    cd $REPO_ROOT && mvn -o -q -DskipTests package"
    (cd "$REPO_ROOT" && mvn -o -q -DskipTests package) || die "the build failed"
fi
[[ -f "$JAR" ]] || die "$JAR is missing: build it with cd $REPO_ROOT && mvn -o -q -DskipTests package"
JAVA_VERSION="$("$JAVA_BIN" -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')"
JAVA_MAJOR="${JAVA_VERSION%%.*}"
if [[ "$TRAIN" == aot && "$JAVA_MAJOR" -lt 25 ]]; then
    die "--train aot needs JDK 25 or later (JEP 514's -XX:AOTCacheOutput); $JAVA_BIN is $JAVA_VERSION"
fi
if [[ -z "$LABEL" ]]; then
    LABEL="java $JAVA_MAJOR"
    [[ "$TRAIN" == none ]] || LABEL="$LABEL + $TRAIN"
    [[ -z "$EXTRA_OPTS" ]] || LABEL="$LABEL $EXTRA_OPTS"
fi

CLK_TCK="$(getconf CLK_TCK)"
trap '' PIPE

# --- work directory ----------------------------------------------------------------------------------------
STAMP="$(date +%Y%m%d-%H%M%S)"
WORK="$BENCH_DIR/work/startup-$STAMP"
while [[ -e "$WORK" ]]; do WORK="$BENCH_DIR/work/startup-$STAMP-$RANDOM"; done
mkdir -p "$WORK"
echo "work dir:    $WORK"
# A private copy of the jar: a rebuild during the runs cannot change it, and every run (and a training run's
# archive) sees the same path, size and modification time.
cp -p "$JAR" "$WORK/logferry.jar"
python3 -m zipfile -l "$WORK/logferry.jar" >/dev/null 2>&1 || die "$JAR is not a readable jar (rebuilt mid-copy?)"
JAR_ID="$(sha256sum "$WORK/logferry.jar" | cut -c1-12), built $(date -r "$JAR" '+%Y-%m-%d %H:%M:%S')"
echo "jar:         $JAR (sha256 $JAR_ID)"
echo "java:        $JAVA_BIN ($JAVA_VERSION), options: $ALL_OPTS"
echo "pipeline:    $PIPELINE, $RUNS runs$( [[ $TRAIN != none ]] && echo ", after one $TRAIN training run")"

if [[ "$PIPELINE" == hec && -z "$SERVER_CP" ]]; then
    [[ -f "$REPO_ROOT/target/test-classes/${SERVER_MAIN//.//}.class" ]] \
        || die "target/test-classes has no $SERVER_MAIN: build with mvn -o -q -DskipTests package"
    cp -r "$REPO_ROOT/target/test-classes" "$WORK/server-classes"
    (cd "$REPO_ROOT" && mvn -o -q dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$WORK/server-deps.txt" >"$WORK/mvn-classpath.out" 2>&1) \
        || { cat "$WORK/mvn-classpath.out" >&2; die "mvn -o dependency:build-classpath failed"; }
    SERVER_CP="$WORK/server-classes:$(cat "$WORK/server-deps.txt")"
fi

# --- the watcher: spawns logferry, times it, stops it ----------------------------------------------------------
# One long-lived python3 process per run, started before the clock, so the polls cost almost nothing (no fork
# of sqlite3 every 20 ms on a 2-core machine) and the samples are taken the moment the line is seen.
cat >"$WORK/watch.py" <<'PY'
import os, re, select, signal, sqlite3, subprocess, sys, time

args = dict(a.split("=", 1) for a in sys.argv[1:sys.argv.index("--")])
cmd = sys.argv[sys.argv.index("--") + 1:]
run_dir, out_path, pipeline = args["run_dir"], args["out"], args["pipeline"]
timeout, poll, stop_timeout = float(args["timeout"]), int(args["poll_ms"]) / 1000.0, float(args["stop_timeout"])
tck = os.sysconf("SC_CLK_TCK")
child = None

def fail(msg):
    print("startup-bench: FAIL: " + msg, file=sys.stderr, flush=True)
    if child is not None and child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    sys.exit(1)

def on_signal(signum, _frame):
    fail("interrupted by signal %d" % signum)

signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)

def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])

def status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0

def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]   # user nice system irq softirq steal

def tail_lines(n=30):
    try:
        with open(out_path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""

# --- delivery probes -----------------------------------------------------------------------------------------
db_path = os.path.join(run_dir, "data", "events.db")
conn = None

def delivered_store():
    """Rows in lf_store_events; 0 while the database or the table does not exist yet. Connects read-only and
    only once the WAL file exists, so the probe never creates the file or holds a lock while logferry sets up
    WAL mode (readers in WAL mode do not block the writer)."""
    global conn
    if conn is None:
        if not os.path.exists(db_path + "-wal"):
            return 0
        try:
            conn = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True, timeout=0.5, isolation_level=None)
        except sqlite3.Error:
            conn = None
            return 0
    try:
        return conn.execute("select count(*) from lf_store_events").fetchone()[0]
    except sqlite3.Error:
        conn.close()          # e.g. no such table yet: reconnect, so the schema is read again
        conn = None
        return 0

to_srv = from_srv = None
srv_buf = b""

def delivered_hec():
    global srv_buf
    os.write(to_srv, b"stats\n")
    deadline = time.monotonic() + 10
    while b"\n" not in srv_buf:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([from_srv], [], [], left)[0]:
            fail("the fake HEC server does not answer stats")
        chunk = os.read(from_srv, 4096)
        if not chunk:
            fail("the fake HEC server closed its output")
        srv_buf += chunk
    line, srv_buf = srv_buf.split(b"\n", 1)
    m = re.match(rb"events=(\d+) ", line)
    if not m:
        fail("unexpected answer from the fake HEC server: %r" % line)
    return int(m.group(1))

baseline = 0
if pipeline == "hec":
    to_srv, from_srv = int(args["srv_in_fd"]), int(args["srv_out_fd"])
    # Warm the server up before the clock (its first requests load and compile its HTTP and JSON code, which a
    # real collector has long done): 50 events of its own; the clock then waits for one event more.
    import http.client
    for i in range(50):
        c = http.client.HTTPConnection("127.0.0.1", int(args["srv_port"]), timeout=10)
        c.request("POST", "/services/collector/event", body=b'{"event": "warm-up seq=%d"}' % (1000000 + i),
                  headers={"Authorization": "Splunk " + args["token"], "Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        c.close()
        if r.status != 200:
            fail("the fake HEC server answered the warm-up with HTTP %d" % r.status)
    baseline = delivered_hec()
    delivered = lambda: delivered_hec() - baseline
else:
    delivered = delivered_store

# --- the timed part ----------------------------------------------------------------------------------------
out = open(out_path, "wb")
busy0 = machine_busy()
t0 = time.time()
child = subprocess.Popen(cmd, cwd=run_dir, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
with open(args["pid_file"], "w") as f:
    f.write("%d\n" % child.pid)
while True:
    time.sleep(poll)
    if child.poll() is not None:
        fail("logferry exited with status %d before the line arrived (log: %s):\n%s"
             % (child.returncode, out_path, tail_lines()))
    n = delivered()
    t1 = time.time()
    if n > 0:
        break
    if t1 - t0 > timeout:
        fail("the line did not arrive within %d s of the spawn (log: %s):\n%s" % (timeout, out_path, tail_lines()))
ticks = cpu_ticks(child.pid)
hwm = status_kb(child.pid, "VmHWM")
rss = status_kb(child.pid, "VmRSS")
busy1 = machine_busy()
threads = len(os.listdir("/proc/%d/task" % child.pid))
if conn is not None:
    conn.close()

# --- logferry's own log: first line, Camel started, the tail's first file ------------------------------------
lt = time.localtime(t0)
t0_tod = lt.tm_hour * 3600 + lt.tm_min * 60 + lt.tm_sec + (t0 % 1)
ts_re = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ")
def since_spawn(line):
    m = ts_re.match(line)
    if not m:
        return None
    h, mi, s, ms = (int(g) for g in m.groups())
    return ((h * 3600 + mi * 60 + s + ms / 1000.0) - t0_tod) % 86400

def read_log():
    with open(out_path, errors="replace") as f:
        return f.read().splitlines()

first_log = starting = started = following = None
camel_in = "n/a"
camel_s = None
deadline = time.time() + 10
while True:
    lines = read_log()
    for line in lines:
        if first_log is None and ts_re.match(line):
            first_log = since_spawn(line)
        if starting is None and re.search(r"Apache Camel \S+ \(logferry\) is starting", line):
            starting = since_spawn(line)
        if started is None and re.search(r"Apache Camel \S+ \(logferry\) started", line):
            started = since_spawn(line)
            m = re.search(r"started in (\S+)(.*)$", line)
            if m:
                camel_in = (m.group(1) + m.group(2)).strip()
                mm = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?", m.group(1))
                if mm and m.group(1):
                    camel_s = int(mm.group(1) or 0) * 60 + int(mm.group(2) or 0) + int(mm.group(3) or 0) / 1000.0
        if following is None and "Following " in line and "app.log" in line:
            following = since_spawn(line)
    if started is not None or time.time() > deadline:
        break
    time.sleep(0.05)

# --- stop ----------------------------------------------------------------------------------------------------
ts = time.time()
child.send_signal(signal.SIGTERM)
try:
    rc = child.wait(stop_timeout)
except subprocess.TimeoutExpired:
    child.kill()
    child.wait()
    fail("logferry did not exit within %d s of SIGTERM (log: %s):\n%s" % (stop_timeout, out_path, tail_lines()))
stop_s = time.time() - ts
child = None

def f3(v):
    return "nan" if v is None else "%.3f" % v
wall = t1 - t0
other = max(0.0, (busy1 - busy0 - ticks) / tck / wall)
print("first_line=%.3f cpu=%.2f hwm_mib=%.1f rss_mib=%.1f first_log=%s starting=%s started=%s camel_s=%s following=%s "
      "after_start=%s stop_s=%.2f rc=%d threads=%d other=%.2f" % (
      wall, ticks / tck, hwm / 1024.0, rss / 1024.0, f3(first_log), f3(starting), f3(started), f3(camel_s), f3(following),
      f3(None if started is None else wall - started), stop_s, rc, threads, other))
print("camel_in=" + camel_in)
PY

# --- processes of the current run, stopped on any exit ------------------------------------------------------
WATCH_PID=""
SRV_PID=""
TO_SRV=""
FROM_SRV=""
CUR_RUN=""
cleanup() {
    local pid
    if [[ -n "$WATCH_PID" ]] && kill -0 "$WATCH_PID" 2>/dev/null; then
        kill -TERM "$WATCH_PID" 2>/dev/null || true     # the watcher stops logferry, then exits
        for _ in $(seq 1 120); do kill -0 "$WATCH_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    if [[ -n "$CUR_RUN" && -f "$CUR_RUN/logferry.pid" ]]; then
        pid="$(cat "$CUR_RUN/logferry.pid")"
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    if [[ -n "$SRV_PID" ]] && kill -0 "$SRV_PID" 2>/dev/null; then
        kill -TERM "$SRV_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'echo "startup-bench: interrupted; stopping logferry" >&2; exit 130' INT TERM

start_server() { # run dir
    local RUN="$1" line
    mkfifo "$RUN/srv.in" "$RUN/srv.out"
    # shellcheck disable=SC2086 # SERVER_OPTS is a list of words
    java $SERVER_OPTS -cp "$SERVER_CP" "$SERVER_MAIN" --port=0 "--token=$TOKEN" --ack=false --retain-events=false \
        <"$RUN/srv.in" >"$RUN/srv.out" 2>"$RUN/server.err" &
    SRV_PID=$!
    exec {TO_SRV}>"$RUN/srv.in"
    exec {FROM_SRV}<"$RUN/srv.out"
    read -r -t 60 -u "$FROM_SRV" line || { cat "$RUN/server.err" >&2; die "the fake HEC server did not start"; }
    [[ "$line" =~ ^listening\ ([0-9]+)$ ]] || die "unexpected first line from the fake HEC server: $line"
    SRV_PORT="${BASH_REMATCH[1]}"
}

stop_server() {
    [[ -n "$SRV_PID" ]] || return 0
    exec {TO_SRV}>&-        # end of stdin: the server stops
    for _ in $(seq 1 100); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SRV_PID" 2>/dev/null && kill -TERM "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" || true
    exec {FROM_SRV}<&-
    SRV_PID=""
}

# Busy ticks (user nice system irq softirq steal) of the whole machine, from the first line of /proc/stat.
machine_busy() {
    local _cpu user nice system idle iowait irq softirq steal _rest
    read -r _cpu user nice system idle iowait irq softirq steal _rest </proc/stat
    echo $(( user + nice + system + irq + softirq + steal ))
}

RESULTS="$WORK/results.tsv"
printf 'run\tkind\tfirst_line\tcpu\thwm_mib\tfirst_log\tstarting\tstarted\tcamel_s\tfollowing\tafter_start\tstop_s\trc\tother\tload1\n' >"$RESULTS"

run_one() { # name kind(training|measured) opts...
    local name="$1" kind="$2"; shift 2
    local RUN="$WORK/$name"
    CUR_RUN="$RUN"
    mkdir -p "$RUN/logs" "$RUN/data"
    cp -r "$REPO_ROOT/config" "$RUN/config"
    printf '%s\n' "$LINE" >"$RUN/logs/app.log"
    # The metrics and health server starts as usual, but on a free port: another logferry on the machine (a test
    # run) may hold the default 9876, and logferry refuses to start then.
    local mport
    mport="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    printf '\n# written by bench/startup-bench.sh: a free port for the metrics and health server\ncamel.management.port = %s\n' \
        "$mport" >>"$RUN/config/application.properties"
    local -a watch_args=(pipeline="$PIPELINE")
    if [[ "$PIPELINE" == hec ]]; then
        start_server "$RUN"
        printf '\n# written by bench/startup-bench.sh\nhec.token = %s\n' "$TOKEN" >>"$RUN/config/application.properties"
        cat >"$RUN/config/routes/default.camel.yaml" <<EOF
# Written by bench/startup-bench.sh: logs/*.log to the fake HEC server, template defaults otherwise.
- templatedRoute:
    routeTemplateRef: tail-to-hec
    routeId: tail-to-hec
    parameters:
      - name: paths
        value: "logs/*.log"
      - name: url
        value: "http://127.0.0.1:$SRV_PORT"
      - name: token
        value: "{{hec.token}}"
      - name: ack
        value: "false"
EOF
        watch_args+=(srv_in_fd="$TO_SRV" srv_out_fd="$FROM_SRV" srv_port="$SRV_PORT" token="$TOKEN")
    fi
    if [[ $QUIET_WAIT -gt 0 ]]; then
        # Busy ticks of the whole machine over one second; the server (hec) idles here, so all of it is other work.
        local quiet=0 m1 m2 _w
        for _w in $(seq 1 "$QUIET_WAIT"); do
            m1="$(machine_busy)"; sleep 1; m2="$(machine_busy)"
            if (( m2 - m1 < CLK_TCK * 15 / 100 )); then quiet=1; break; fi
        done
        [[ $quiet -eq 1 ]] || echo "warning:   the machine did not get quiet within ${QUIET_WAIT}s; measuring anyway" >&2
    fi
    local load1 _rest
    read -r load1 _rest </proc/loadavg
    local stop_timeout=$STOP_TIMEOUT
    [[ "$kind" == training ]] && stop_timeout=300   # the JVM writes its archive (AOT: a second JVM) at exit
    # shellcheck disable=SC2086 # the options are lists of words
    python3 "$WORK/watch.py" run_dir="$RUN" out="$RUN/logferry.out" pid_file="$RUN/logferry.pid" \
        timeout="$TIMEOUT" poll_ms="$POLL_MS" stop_timeout="$stop_timeout" "${watch_args[@]}" \
        -- "$JAVA_BIN" "$@" -jar "$WORK/logferry.jar" >"$RUN/result.txt" &
    WATCH_PID=$!
    local wrc=0
    wait "$WATCH_PID" || wrc=$?
    WATCH_PID=""
    [[ $wrc -eq 0 ]] || die "run $name failed (watcher status $wrc); work dir kept: $WORK"
    stop_server
    local r camel_in
    r="$(sed -n 1p "$RUN/result.txt")"
    camel_in="$(sed -n 's/^camel_in=//p' "$RUN/result.txt")"
    local first_line cpu hwm_mib rss_mib first_log starting started camel_s following after_start stop_s rc threads other
    eval "$(tr ' ' '\n' <<<"$r" | grep -E '^[a-z_]+=[-0-9.a-z]+$' | sed 's/^/local /')"
    printf '%-9s first line %6.3f s | CPU %5.2f s | RSS %4.0f MiB | first log %s | ctx starting %s | started %s (camel: %s) | following %s | after start %s | stop %.2f s rc %s | other load %s\n' \
        "$name" "$first_line" "$cpu" "$hwm_mib" "$first_log" "$starting" "$started" "$camel_in" "$following" "$after_start" \
        "$stop_s" "$rc" "$other$(python3 -c 'import sys; print(" BUSY" if float(sys.argv[1]) > 0.25 else "")' "$other")"
    [[ $rc -eq 0 || $rc -eq 143 ]] || echo "warning:   logferry exited with status $rc (log: $RUN/logferry.out)" >&2
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$first_line" "$cpu" "$hwm_mib" \
        "$first_log" "$starting" "$started" "$camel_s" "$following" "$after_start" "$stop_s" "$rc" "$other" "$load1" >>"$RESULTS"
    CUR_RUN=""
}

# shellcheck disable=SC2206 # word splitting of the option strings is intended
OPTS=($ALL_OPTS)
case "$TRAIN" in
    cds) ARCHIVE="$WORK/logferry.jsa"; TRAIN_OPT="-XX:ArchiveClassesAtExit=$ARCHIVE"; USE_OPT="-XX:SharedArchiveFile=$ARCHIVE"
         CHECK_OPT="-Xshare:on" ;;
    aot) ARCHIVE="$WORK/logferry.aot"; TRAIN_OPT="-XX:AOTCacheOutput=$ARCHIVE"; USE_OPT="-XX:AOTCache=$ARCHIVE"
         CHECK_OPT="-XX:AOTMode=on" ;;
esac
if [[ "$TRAIN" != none ]]; then
    echo "training:    $TRAIN_OPT"
    t_train=$EPOCHREALTIME
    run_one train training "${OPTS[@]}" "$TRAIN_OPT"
    [[ -s "$ARCHIVE" ]] || die "the training run wrote no $ARCHIVE (see $WORK/train/logferry.out)"
    echo "archive:     $ARCHIVE, $(( $(stat -c %s "$ARCHIVE") / 1048576 )) MiB, training took $(python3 -c "print('%.1f' % ($EPOCHREALTIME - $t_train))") s in all"
    # The archive must be usable with exactly these options and this jar, else the JVM would silently run
    # without it: -Xshare:on / -XX:AOTMode=on make a mismatch an error.
    (cd "$WORK" && "$JAVA_BIN" "${OPTS[@]}" "$USE_OPT" "$CHECK_OPT" -jar "$WORK/logferry.jar" --version \
        >"$WORK/archive-check.out" 2>&1) || { cat "$WORK/archive-check.out" >&2; die "the JVM cannot use $ARCHIVE"; }
    echo "checked:     $CHECK_OPT $USE_OPT starts ($(head -n 1 "$WORK/archive-check.out"))"
    OPTS+=("$USE_OPT")
    LABEL_OPTS="$ALL_OPTS $USE_OPT"
else
    LABEL_OPTS="$ALL_OPTS"
fi
echo "command:     cd <run dir> && $JAVA_BIN ${OPTS[*]} -jar $WORK/logferry.jar"
for i in $(seq 1 "$RUNS"); do
    run_one "run-$i" measured "${OPTS[@]}"
done

# --- summary -------------------------------------------------------------------------------------------------
echo
echo "== summary: $LABEL, pipeline $PIPELINE, $RUNS runs =="
python3 - "$RESULTS" "$(date +%Y-%m-%d)" "$LABEL" "$PIPELINE" "$JAVA_VERSION" "$LABEL_OPTS" "${JAR_ID%%,*}" <<'PY'
import csv, math, statistics, sys
path, date, label, pipeline, jver, opts, jar = sys.argv[1:8]
all_rows = [r for r in csv.DictReader(open(path), delimiter="\t") if r["kind"] == "measured"]
quiet = [r for r in all_rows if float(r["other"]) <= 0.25]
busy = len(all_rows) - len(quiet)
rows = quiet if quiet else all_rows
if busy:
    print("  %d of %d runs were busy (other processes used over 0.25 cores): %s" % (
        busy, len(all_rows), "left out of the figures below" if quiet else "no quiet run, so all are used"))
cols = [("first line s", "first_line", 3), ("CPU-s", "cpu", 2), ("peak RSS MiB", "hwm_mib", 0),
        ("first log s", "first_log", 3), ("ctx starting s", "starting", 3), ("started s", "started", 3), ("camel started in s", "camel_s", 3),
        ("following s", "following", 3), ("after start s", "after_start", 3), ("stop s", "stop_s", 2),
        ("other load", "other", 2), ("load avg 1 min", "load1", 2)]
med = {}
for title, key, d in cols:
    v = [float(r[key]) for r in rows if r[key] not in ("", "nan")]
    if not v:
        continue
    med[key] = (statistics.median(v), min(v), max(v))
    print("  %-20s median %s  (min %s, max %s)" % (title, "%.*f" % (d, med[key][0]), "%.*f" % (d, min(v)), "%.*f" % (d, max(v))))
fl = med["first_line"]
print("  target: first line <= 1.0 s after the spawn: %s" % ("MET (median)" if fl[0] <= 1.0 else "not met (median %.2f s)" % fl[0]))
print("\nmarkdown row (| date | pipeline | variant | java | first line, median (min-max) | CPU-s | RSS | started | camel | after start | other load | jar |):")
def rng(key, d, unit=""):
    m, lo, hi = med.get(key, (math.nan,) * 3)
    return "%.*f%s (%.*f-%.*f)" % (d, m, unit, d, lo, d, hi)
print("| %s | %s | %s | %s | %s | %s | %s | %s | %.2f s | %s | %.2f | %s |" % (
    date, pipeline, label, jver, rng("first_line", 2, " s"), rng("cpu", 2), rng("hwm_mib", 0, " MiB"),
    rng("started", 2, " s"), med.get("camel_s", (math.nan,))[0], rng("after_start", 2, " s"),
    med.get("other", (math.nan,))[0], jar))
print("options: %s" % opts)
PY

cd "$BENCH_DIR"
if [[ $KEEP -eq 0 ]]; then
    rm -rf "$WORK"
else
    echo
    echo "work dir kept: $WORK"
fi
