#!/usr/bin/env bash
# Comparison with peers: logferry against Fluent Bit and rsyslog on the same input and receivers, timed from
# the PROCESS SPAWN to the receiver holding every line (a restart that drains a backlog on a cold process).
#
#   bench/compare.sh [--pipelines hec,syslog,store] [--lines N] [--runs K] [--shippers LIST] [--java-opts "..."]
#                    [--jar PATH] [--fluent-bit PATH] [--fb-flush S] [--fb-workers N] [--fb-mem-limit SIZE]
#                    [--hec-max-content BYTES] [--server-opts "..."] [--server-cp CP] [--poll-ms MS]
#                    [--timeout S] [--stall S] [--quiet-wait S] [--keep]
#
# The input (bench/gen-lines.py, N lines, about 280 bytes each) is generated once, not timed. Each run gets a
# fresh directory: the receiver is started first (not timed), the input is placed in the shipper's watched
# directory, then the shipper is spawned and the clock starts. A watcher polls the receiver every --poll-ms
# and records the time of the first line, of 10 % and 90 % of N and of all N; then it samples the shipper's
# CPU (utime + stime) and peak RSS (VmHWM), stops it and the receiver, and the lines are verified (count = N,
# distinct seq = N: nothing lost, nothing duplicated). Shippers alternate run by run (logferry, peer,
# logferry, peer, ...). Prints each run, a summary (medians, min-max, logferry/peer ratios) and a markdown
# table for bench/README.md ("Comparison with peers"). Exit status 1 when any run fails verification.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"

PIPELINES="hec,syslog,store"
LINES=1000000
RUNS=3
SHIPPERS="logferry,fluent-bit,rsyslog"
JAR="target/logferry.jar"
JAVA_OPTS=""                 # empty: @config/jvm.options, as a user starts logferry
FLUENT_BIT="$BENCH_DIR/work/fluent-bit/bin/fluent-bit"
FB_FLUSH=1
FB_WORKERS=2
FB_MEM_LIMIT=64MB
# Splunk's max_content_length since 6.5 (limits.conf [http_input]); the fake's own default is the old 1,000,000.
HEC_MAX_CONTENT=838860800
SERVER_OPTS="-Xmx512m -XX:+UseParallelGC"
SERVER_CP=""
POLL_MS=50
TIMEOUT=600
STALL=60
QUIET_WAIT=0
KEEP=0
TOKEN="11111111-2222-3333-4444-555555555555"
BUSY_CORES=0.25              # a run during which other processes used more than this is marked busy

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --pipelines LIST      comma-separated, any of (default hec,syslog,store):
                          hec     file -> Splunk HEC event endpoint, plain HTTP, ack off, into the fake HEC server
                                  (test code from target/test-classes): logferry tail-to-hec (template defaults)
                                  vs Fluent Bit tail -> splunk
                          syslog  file -> RFC 5425 syslog over mutual TLS on loopback: logferry tail-to-syslog ->
                                  a logferry syslog-listener (as bench/syslog-bench.sh); rsyslog imfile -> omfwd
                                  (ossl, octet-counted) -> rsyslog imtcp (ossl); Fluent Bit tail -> syslog output
                                  (TLS, LF-framed) -> the same rsyslog imtcp receiver
                          store   file -> SQLite store, logferry's default pipeline (no peer)
  --lines N             lines in the input (default 1000000, about 280 bytes each)
  --runs K              runs of each shipper in each pipeline (default 3), alternating shippers
  --shippers LIST       which shippers to run (default logferry,fluent-bit,rsyslog; a peer that is not
                        installed is skipped with a message)
  --java-opts "..."     JVM options of the logferry shipper (default: @config/jvm.options, i.e. what
                        `java @config/jvm.options -jar logferry.jar` gets); the syslog listener (a receiver)
                        always runs with @config/jvm.options
  --jar PATH            logferry jar; relative paths are relative to the repository root (default
                        target/logferry.jar; built with mvn -o -q -DskipTests package when missing)
  --fluent-bit PATH     Fluent Bit binary (default bench/work/fluent-bit/bin/fluent-bit); when absent the
                        Fluent Bit runs are skipped
  --fb-flush S          Fluent Bit [SERVICE] Flush, seconds (default 1)
  --fb-workers N        Workers of Fluent Bit's splunk output (default 2)
  --fb-mem-limit SIZE   Mem_Buf_Limit of Fluent Bit's tail input (default 64MB)
  --hec-max-content B   the fake HEC server's max_content_length in bytes (default 838860800, Splunk's default
                        since 6.5; the fake's own default, 1000000, makes it answer Fluent Bit's ~2 MB
                        requests with 413, which Fluent Bit drops: lines lost)
  --server-opts "..."   JVM options of the fake HEC server (default -Xmx512m -XX:+UseParallelGC)
  --server-cp CP        class path of the fake HEC server (default: target/test-classes and the test
                        dependencies from mvn -o dependency:build-classpath)
  --poll-ms MS          interval of the receiver polls (default 50)
  --timeout S           fail a run when not every line arrived this long after the spawn (default 600)
  --stall S             fail a run when the receiver got no new line for this long after its first one
                        (default 60): a shipper that dropped lines never reaches N
  --quiet-wait S        before each spawn, wait up to S seconds for a second in which other processes use
                        under 0.15 cores (default 0: do not wait)
  --keep                keep the work directory (bench/work/compare-<timestamp>) after a passing run
  -h, --help            this text
Figures per run (times from the spawn):
  whole        N / (time of the poll that saw all N lines)
  steady       0.8 N / (t90 - t10), t10 and t90 the first polls that saw 10 % and 90 % of N (n/a when the same
               poll saw both: too few lines for a rate)
  first line   the poll that first saw a line at the receiver
  CPU-s        utime + stime of the shipper (all its processes and threads) from the spawn to the last line
  peak RSS     VmHWM of the shipper (summed over its processes) at the last line
  recv CPU-s   CPU of the receiver over the same window (not in the summary)
  other        cores busy with other processes during the window (over 0.25: marked busy)
EOF
}

die() {
    echo "compare: FAIL: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --pipelines) PIPELINES="${2:?--pipelines needs a value}"; shift 2 ;;
        --lines) LINES="${2:?--lines needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --shippers) SHIPPERS="${2:?--shippers needs a value}"; shift 2 ;;
        --java-opts) JAVA_OPTS="${2?--java-opts needs a value}"; shift 2 ;;
        --jar) JAR="${2:?--jar needs a value}"; shift 2 ;;
        --fluent-bit) FLUENT_BIT="${2:?--fluent-bit needs a value}"; shift 2 ;;
        --fb-flush) FB_FLUSH="${2:?--fb-flush needs a value}"; shift 2 ;;
        --fb-workers) FB_WORKERS="${2:?--fb-workers needs a value}"; shift 2 ;;
        --fb-mem-limit) FB_MEM_LIMIT="${2:?--fb-mem-limit needs a value}"; shift 2 ;;
        --hec-max-content) HEC_MAX_CONTENT="${2:?--hec-max-content needs a value}"; shift 2 ;;
        --server-opts) SERVER_OPTS="${2?--server-opts needs a value}"; shift 2 ;;
        --server-cp) SERVER_CP="${2:?--server-cp needs a value}"; shift 2 ;;
        --poll-ms) POLL_MS="${2:?--poll-ms needs a value}"; shift 2 ;;
        --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
        --stall) STALL="${2:?--stall needs a value}"; shift 2 ;;
        --quiet-wait) QUIET_WAIT="${2:?--quiet-wait needs a value}"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
[[ "$LINES" =~ ^[1-9][0-9]*$ ]] || die "--lines must be a positive integer, was '$LINES'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, was '$RUNS'"
[[ "$POLL_MS" =~ ^[1-9][0-9]*$ ]] || die "--poll-ms must be a positive integer, was '$POLL_MS'"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, was '$TIMEOUT'"
[[ "$STALL" =~ ^[1-9][0-9]*$ ]] || die "--stall must be a positive integer, was '$STALL'"
[[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--quiet-wait must be a whole number of seconds, was '$QUIET_WAIT'"
[[ "$FB_WORKERS" =~ ^[1-9][0-9]*$ ]] || die "--fb-workers must be a positive integer, was '$FB_WORKERS'"
[[ "$FB_FLUSH" =~ ^[0-9]*\.?[0-9]+$ ]] || die "--fb-flush must be a number of seconds, was '$FB_FLUSH'"
[[ "$HEC_MAX_CONTENT" =~ ^[1-9][0-9]*$ ]] || die "--hec-max-content must be a positive integer, was '$HEC_MAX_CONTENT'"
IFS=, read -r -a PIPELINE_LIST <<<"$PIPELINES"
for p in "${PIPELINE_LIST[@]}"; do
    case "$p" in hec|syslog|store) ;; *) die "--pipelines takes hec, syslog and store, was '$p'" ;; esac
done
IFS=, read -r -a SHIPPER_LIST <<<"$SHIPPERS"
for s in "${SHIPPER_LIST[@]}"; do
    case "$s" in logferry|fluent-bit|rsyslog) ;; *) die "--shippers takes logferry, fluent-bit and rsyslog, was '$s'" ;; esac
done
[[ "$JAR" = /* ]] || JAR="$REPO_ROOT/$JAR"
[[ "$FLUENT_BIT" = /* ]] || FLUENT_BIT="$PWD/$FLUENT_BIT"

for tool in java python3 getconf; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
if [[ ",$PIPELINES," == *",syslog,"* ]]; then
    command -v curl >/dev/null || die "curl is not installed (the syslog pipeline asks the listener's health with it)"
fi
wants() { # pipeline: is it selected?
    [[ ",$PIPELINES," == *",$1,"* ]]
}
ships() { # shipper: is it selected?
    [[ ",$SHIPPERS," == *",$1,"* ]]
}

# --- which shipper runs in which pipeline ---------------------------------------------------------------------
# Peers that are not installed are skipped with a message, so the logferry runs still happen.
HAVE_FB=0
if ships fluent-bit && { wants hec || wants syslog; }; then
    if [[ -x "$FLUENT_BIT" ]]; then
        HAVE_FB=1
    else
        echo "skipping:    Fluent Bit: no binary at $FLUENT_BIT (give one with --fluent-bit PATH)"
    fi
fi
# rsyslog with its OpenSSL network driver: the rsyslog shipper, and the receiver of Fluent Bit's syslog output.
RSYSLOG_OK=0
if wants syslog && command -v rsyslogd >/dev/null && [[ -n "$(find /usr/lib -name lmnsd_ossl.so -print -quit 2>/dev/null)" ]]; then
    RSYSLOG_OK=1
fi
if wants syslog && [[ $RSYSLOG_OK -eq 0 ]] && { ships rsyslog || [[ $HAVE_FB -eq 1 ]]; }; then
    echo "skipping:    rsyslog and Fluent Bit in syslog (whose receiver is rsyslog's imtcp): rsyslogd or its ossl driver" \
         "is not installed (apt-get update && apt-get install -y rsyslog rsyslog-openssl)"
fi
shippers_for() { # pipeline -> shipper names, logferry first
    local -a out=()
    ships logferry && out+=(logferry)
    case "$1" in
        hec) [[ $HAVE_FB -eq 1 ]] && out+=(fluent-bit) ;;
        syslog)
            [[ $RSYSLOG_OK -eq 1 ]] && ships rsyslog && out+=(rsyslog)
            [[ $RSYSLOG_OK -eq 1 && $HAVE_FB -eq 1 ]] && out+=(fluent-bit) ;;
        store) ;;
    esac
    echo "${out[*]:-}"
}

# --- build what is missing (never the tests) ------------------------------------------------------------------
SERVER_MAIN_CLASS="io/logferry/testsupport/hec/FakeHecServerMain.class"
if [[ "$JAR" == "$REPO_ROOT/target/logferry.jar" ]] && { [[ ! -f "$JAR" ]] || { wants hec && [[ -z "$SERVER_CP" ]] \
        && [[ ! -f "$REPO_ROOT/target/test-classes/$SERVER_MAIN_CLASS" ]]; }; }; then
    echo "building:    cd $REPO_ROOT && mvn -o -q -DskipTests package"
    (cd "$REPO_ROOT" && mvn -o -q -DskipTests package) || die "the build failed"
fi
[[ -f "$JAR" ]] || die "$JAR is missing: build it with cd $REPO_ROOT && mvn -o -q -DskipTests package"

CLK_TCK="$(getconf CLK_TCK)"
trap '' PIPE   # a dead server must not kill the script through SIGPIPE; writes to it fail instead

# --- work directory, jar, fake server class path, certificates -------------------------------------------------
STAMP="$(date +%Y%m%d-%H%M%S)"
WORK="$BENCH_DIR/work/compare-$STAMP"
while [[ -e "$WORK" ]]; do WORK="$BENCH_DIR/work/compare-$STAMP-$RANDOM"; done
mkdir -p "$WORK/input"
echo "work dir:    $WORK"
# A private copy of the jar, so a rebuild of target/ during the runs cannot change classes under a JVM.
cp -p "$JAR" "$WORK/logferry.jar"
python3 -m zipfile -l "$WORK/logferry.jar" >/dev/null 2>&1 || die "$JAR is not a readable jar (rebuilt mid-copy?)"
JAR_ID="$(sha256sum "$WORK/logferry.jar" | cut -c1-12)"
echo "jar:         $JAR (sha256 $JAR_ID, built $(date -r "$JAR" '+%Y-%m-%d %H:%M:%S'))"
JAVA_VERSION="$(java -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')"
if [[ -z "$JAVA_OPTS" ]]; then
    LF_OPTS_TEXT="@config/jvm.options ($(grep -v '^[[:space:]]*\(#\|$\)' "$REPO_ROOT/config/jvm.options" | tr '\n' ' ' | sed 's/ *$//'))"
else
    LF_OPTS_TEXT="$JAVA_OPTS"
fi
echo "logferry:    java $JAVA_VERSION $LF_OPTS_TEXT -jar logferry.jar"

if wants hec; then
    if [[ -z "$SERVER_CP" ]]; then
        [[ -f "$REPO_ROOT/target/test-classes/$SERVER_MAIN_CLASS" ]] \
            || die "target/test-classes has no fake HEC server: build with cd $REPO_ROOT && mvn -o -q -DskipTests package"
        cp -r "$REPO_ROOT/target/test-classes" "$WORK/server-classes"
        (cd "$REPO_ROOT" && mvn -o -q dependency:build-classpath -Dmdep.includeScope=test \
            -Dmdep.outputFile="$WORK/server-deps.txt" >"$WORK/mvn-classpath.out" 2>&1) \
            || { cat "$WORK/mvn-classpath.out" >&2; die "mvn -o dependency:build-classpath failed"; }
        SERVER_CP="$WORK/server-classes:$(cat "$WORK/server-deps.txt")"
    fi
fi

if wants syslog; then
    PKI="$WORK/pki"
    # The same certificates as bench/syslog-bench.sh: a CA, the forwarders' client certificate, the receivers'.
    java -jar "$WORK/logferry.jar" pki init --dir "$PKI" >/dev/null
    java -jar "$WORK/logferry.jar" pki issue --dir "$PKI" --cn bench-forwarder >/dev/null
    java -jar "$WORK/logferry.jar" pki issue --dir "$PKI" --server --cn localhost --san 127.0.0.1 >/dev/null
fi

FB_VERSION=""
if [[ $HAVE_FB -eq 1 ]]; then
    FB_VERSION="$("$FLUENT_BIT" --version 2>/dev/null | head -n 1)" || die "$FLUENT_BIT does not run"
    echo "fluent bit:  $FLUENT_BIT ($FB_VERSION)"
fi
RSYSLOG_VERSION=""
if [[ $RSYSLOG_OK -eq 1 ]]; then
    RSYSLOG_VERSION="$(rsyslogd -v 2>/dev/null | head -n 1 | sed 's/ (aka.*//; s/  */ /g')"
    echo "rsyslog:     $RSYSLOG_VERSION"
fi

# --- the input (not timed) -------------------------------------------------------------------------------------
INPUT="$WORK/input/app.log"
echo "generating:  $LINES lines ..."
python3 "$BENCH_DIR/gen-lines.py" --lines "$LINES" --out "$INPUT"
BYTES="$(stat -c %s "$INPUT")"
# On disk before any clock runs, so the kernel's writeback of it does not land in a timed window.
sync
echo "generated:   $BYTES bytes ($(( BYTES / 1048576 )) MiB)"

# Puts the input into a watched directory: a hard link (no copy of 280 MB per run; every shipper only reads it,
# and each run has its own offset state), or a copy when the directory is on another file system.
place_input() { # dir
    mkdir -p "$1"
    ln "$INPUT" "$1/app.log" 2>/dev/null || cp "$INPUT" "$1/app.log"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits until something listens on PORT, without connecting (a TLS receiver would log a failed handshake for a
# bare connect): state 0A = LISTEN in /proc/net/tcp, or tcp6 (a JVM binds 127.0.0.1 through an IPv6 socket).
wait_listen() { # port seconds pid
    local hex i
    hex="$(printf '%04X' "$1")"
    for ((i = 0; i < $2 * 10; i++)); do
        grep -qE "^ *[0-9]+: [0-9A-F]+:$hex [0-9A-F]+:[0-9A-F]+ 0A " /proc/net/tcp /proc/net/tcp6 && return 0
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# Busy ticks (user nice system irq softirq steal) of the whole machine, from the first line of /proc/stat.
machine_busy() {
    local _cpu user nice system _idle _iowait irq softirq steal _rest
    read -r _cpu user nice system _idle _iowait irq softirq steal _rest </proc/stat
    echo $(( user + nice + system + irq + softirq + steal ))
}

quiet_wait() {
    [[ $QUIET_WAIT -gt 0 ]] || return 0
    local m1 m2 _w
    for _w in $(seq 1 "$QUIET_WAIT"); do
        m1="$(machine_busy)"; sleep 1; m2="$(machine_busy)"
        (( m2 - m1 < CLK_TCK * 15 / 100 )) && return 0
    done
    echo "warning:     the machine did not get quiet within ${QUIET_WAIT}s; measuring anyway" >&2
}

# --- the watcher: spawns the shipper, polls the receiver, samples, stops the shipper ----------------------------
# One python3 process per run, started before the clock: its polls cost no fork, and it samples the shipper the
# moment the last line is seen.
cat >"$WORK/watch.py" <<'PY'
import glob, os, re, select, signal, sqlite3, subprocess, sys, time

def parse_args(argv):
    sep = argv.index("--")
    return dict(a.split("=", 1) for a in argv[1:sep]), argv[sep + 1:]

def fail(msg):
    # once stopping, a second signal (Ctrl-C reaches the whole process group; the script's cleanup sends
    # SIGTERM) must not interrupt the stop
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("compare: FAIL: " + msg, file=sys.stderr, flush=True)
    stop_child(10)
    sys.exit(1)

child = None

def stop_child(timeout):
    """SIGTERM to the shipper's process group, SIGKILL after timeout; returns (exit status, seconds)."""
    global child
    if child is None or child.poll() is not None:
        return (None if child is None else child.returncode), 0.0
    t = time.time()
    try:
        os.killpg(child.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        rc = child.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        rc = child.wait()
        print("compare: warning: the shipper did not exit within %d s of SIGTERM: killed" % timeout, file=sys.stderr)
    return rc, time.time() - t

def on_signal(signum, _frame):
    fail("interrupted by signal %d" % signum)

def tree(pid):
    """pid and all its descendants (every thread's children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in glob.glob("/proc/%d/task/*/children" % p):
            try:
                with open(task) as f:
                    todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
    return out

def cpu_ticks(pid):
    """utime + stime of every process in pid's tree (each process's figure covers all its threads)."""
    total = 0
    for p in tree(pid):
        try:
            with open("/proc/%d/stat" % p) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total

def hwm_kb(pid):
    total = 0
    for p in tree(pid):
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total

def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]   # user nice system irq softirq steal

def tail_of(path, n=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""

# --- probes: lines the receiver holds ---------------------------------------------------------------------------
class HecProbe:
    """The fake HEC server's distinct seq count, asked over its stdin/stdout FIFOs."""
    def __init__(self, a):
        self.to, self.frm, self.buf = int(a["srv_in_fd"]), int(a["srv_out_fd"]), b""
    def __call__(self):
        os.write(self.to, b"stats\n")
        deadline = time.monotonic() + 10
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.frm], [], [], left)[0]:
                fail("the fake HEC server does not answer stats")
            chunk = os.read(self.frm, 4096)
            if not chunk:
                fail("the fake HEC server closed its output")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        m = re.search(rb"distinct=(\d+)", line)
        if not m:
            fail("unexpected answer from the fake HEC server: %r" % line)
        return int(m.group(1))

class FileProbe:
    """Complete lines in the files matching a glob; reads only what was appended since the last poll."""
    def __init__(self, a):
        self.pattern, self.offsets, self.total = a["files"], {}, 0
    def __call__(self):
        for path in glob.glob(self.pattern):
            off = self.offsets.get(path, 0)
            try:
                size = os.path.getsize(path)
                if size > off:
                    with open(path, "rb") as f:
                        f.seek(off)
                        data = f.read(size - off)
                    # only whole lines count: a line still being written waits for its newline
                    end = data.rfind(b"\n") + 1
                    self.total += data.count(b"\n", 0, end)
                    self.offsets[path] = off + end
            except OSError:
                pass
        return self.total

class StoreProbe:
    """Rows in lf_store_events: max(id) while it is below N (an O(log n) lookup, never below count(*), as ids are
    distinct), then count(*) to confirm. Read-only, and only once the WAL exists, so the probe never creates
    the database or holds a lock while logferry sets it up."""
    def __init__(self, a):
        self.db, self.n, self.conn = a["db"], int(a["lines"]), None
    def __call__(self):
        if self.conn is None:
            if not os.path.exists(self.db + "-wal"):
                return 0
            try:
                self.conn = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=0.5, isolation_level=None)
            except sqlite3.Error:
                self.conn = None
                return 0
        try:
            top = self.conn.execute("select coalesce(max(id), 0) from lf_store_events").fetchone()[0]
            if top >= self.n:
                return self.conn.execute("select count(*) from lf_store_events").fetchone()[0]
            return top
        except sqlite3.Error:
            self.conn.close()   # e.g. no such table yet: reconnect, so the schema is read again
            self.conn = None
            return 0

def crossing(rows, level):
    """Time of the first poll that saw at least level lines. Not interpolated: receivers' counts move in steps
    (a batch, a commit), and both ends of a span carry the same up-to-one-poll slack."""
    return next((t for t, n in rows if n >= level), float("nan"))

def main():
    global child
    a, cmd = parse_args(sys.argv)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    n_lines = int(a["lines"])
    poll, timeout = int(a["poll_ms"]) / 1000.0, float(a["timeout"])
    probe = {"hec": HecProbe, "files": FileProbe, "store": StoreProbe}[a["probe"]](a)
    recv_pid = int(a.get("recv_pid", "0") or 0)
    out_path = a["out"]
    if probe() != 0:
        fail("the receiver already holds lines before the spawn")
    recv0 = cpu_ticks(recv_pid) if recv_pid else 0
    busy0 = machine_busy()
    out = open(out_path, "wb")
    t0 = time.time()
    # its own process group: the stop reaches every process of the shipper, and nothing else
    child = subprocess.Popen(cmd, cwd=a["cwd"], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True)
    with open(a["pid_file"], "w") as f:
        f.write("%d\n" % child.pid)
    stall = float(a["stall"])
    rows = []
    last_n, last_change = 0, 0.0
    with open(a["progress"], "w") as progress:
        while True:
            time.sleep(poll)
            if child.poll() is not None:
                fail("the shipper exited with status %d before all lines arrived (log: %s):\n%s"
                     % (child.returncode, out_path, tail_of(out_path)))
            n = probe()
            t = time.time() - t0
            rows.append((t, n))
            progress.write("%.3f\t%d\n" % (t, n))
            if n >= n_lines:
                break
            if n != last_n:
                last_n, last_change = n, t
            elif n > 0 and t - last_change > stall:
                fail("no new line for %d s at %d of %d lines: lines lost? (log: %s):\n%s"
                     % (stall, n, n_lines, out_path, tail_of(out_path)))
            if t > timeout:
                fail("%d of %d lines arrived within %d s of the spawn (log: %s):\n%s"
                     % (n, n_lines, timeout, out_path, tail_of(out_path)))
    ticks = cpu_ticks(child.pid)
    hwm = hwm_kb(child.pid)
    recv1 = cpu_ticks(recv_pid) if recv_pid else 0
    busy1 = machine_busy()
    t_all = rows[-1][0]
    t_first = next(t for t, n in rows if n > 0)
    t10, t90 = crossing(rows, 0.1 * n_lines), crossing(rows, 0.9 * n_lines)
    rc, stop_s = stop_child(float(a.get("stop_timeout", "60")))
    child = None
    tck = os.sysconf("SC_CLK_TCK")
    other = max(0.0, (busy1 - busy0 - ticks - (recv1 - recv0)) / tck / t_all)
    steady = 0.8 * n_lines / (t90 - t10) if t90 > t10 else float("nan")
    print("t_all=%.3f t_first=%.3f t10=%.3f t90=%.3f whole=%.1f steady=%.1f cpu=%.2f hwm_mib=%.1f recv_cpu=%.2f "
          "other=%.2f rc=%s stop_s=%.2f polls=%d" % (t_all, t_first, t10, t90, n_lines / t_all, steady, ticks / tck,
          hwm / 1024.0, (recv1 - recv0) / tck, other, rc, stop_s, len(rows)))

# --- verification of what a receiver holds ------------------------------------------------------------------------
SEQ = re.compile(rb'seq="(\d+)"')

def verify_files(pattern, n_lines):
    """Lines in the files, and distinct seq="N" (the first in each line: the generated line's own)."""
    count = noseq = 0
    seen = bytearray(n_lines)
    distinct = outside = 0
    for path in sorted(glob.glob(pattern)):
        with open(path, "rb") as f:
            for line in f:
                count += 1
                m = SEQ.search(line)
                if not m:
                    noseq += 1
                    continue
                s = int(m.group(1))
                if s >= n_lines:
                    outside += 1
                elif not seen[s]:
                    seen[s] = 1
                    distinct += 1
    print("count=%d distinct=%d ok=%d lines_without_seq=%d seq_out_of_range=%d" % (
        count, distinct, int(noseq == 0 and outside == 0), noseq, outside))

def verify_store(db, n_lines):
    """As bench/ingest-bench.sh: rows, distinct byte_offset, distinct seq from the ' seq=N' ending raw."""
    if not os.path.exists(db):
        print("count=0 distinct=0 ok=0 (no %s)" % db)
        return
    conn = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=30)
    count, offsets, seqs, lo, hi = conn.execute("""
        WITH s AS (SELECT byte_offset,
                          CASE WHEN substr(rtrim(raw, '0123456789'), -5) = ' seq='
                               THEN CAST(substr(raw, length(rtrim(raw, '0123456789')) + 1) AS INTEGER) END AS seq
                   FROM lf_store_events)
        SELECT count(*), count(DISTINCT byte_offset), count(DISTINCT seq), min(seq), max(seq) FROM s""").fetchone()
    ok = offsets == n_lines and lo == 0 and hi == n_lines - 1
    print("count=%d distinct=%d ok=%d distinct_byte_offsets=%d seq_range=%s..%s" % (count, seqs, int(ok), offsets, lo, hi))

if __name__ == "__main__":
    if sys.argv[1] == "verify-files":
        verify_files(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "verify-store":
        verify_store(sys.argv[2], int(sys.argv[3]))
    else:
        main()
PY

# --- processes of the current run, stopped on any exit ------------------------------------------------------------
WATCH_PID=""
CUR_RUN=""
RECEIVER_PIDS=()        # receivers of the current run (fake HEC server, logferry listener, rsyslog receiver)
TO_SRV=""
FROM_SRV=""
cleanup() {
    local pid
    if [[ -n "$WATCH_PID" ]] && kill -0 "$WATCH_PID" 2>/dev/null; then
        kill -TERM "$WATCH_PID" 2>/dev/null || true     # the watcher stops the shipper, then exits
        for _ in $(seq 1 150); do kill -0 "$WATCH_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    if [[ -n "$CUR_RUN" && -f "$CUR_RUN/shipper.pid" ]]; then
        pid="$(cat "$CUR_RUN/shipper.pid")"
        # the shipper leads its own process group (the watcher started it so)
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
    fi
    stop_receivers
}
trap cleanup EXIT
trap 'echo "compare: interrupted; stopping the run" >&2; exit 130' INT TERM

stop_receivers() {
    local pid
    if [[ -n "$TO_SRV" ]]; then
        exec {TO_SRV}>&-    # end of stdin: the fake HEC server stops
        TO_SRV=""
    fi
    for pid in "${RECEIVER_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${RECEIVER_PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    RECEIVER_PIDS=()
    if [[ -n "$FROM_SRV" ]]; then
        exec {FROM_SRV}<&-
        FROM_SRV=""
    fi
}

# --- receivers (started before the clock) ---------------------------------------------------------------------------
SRV_PORT=""
start_hec_server() { # run dir
    local run="$1" line pid
    mkfifo "$run/srv.in" "$run/srv.out"
    # shellcheck disable=SC2086 # SERVER_OPTS is a list of words
    java $SERVER_OPTS -cp "$SERVER_CP" io.logferry.testsupport.hec.FakeHecServerMain --port=0 "--token=$TOKEN" \
        --ack=false --retain-events=false "--max-content-length=$HEC_MAX_CONTENT" \
        <"$run/srv.in" >"$run/srv.out" 2>"$run/server.err" &
    pid=$!
    RECEIVER_PIDS+=("$pid")
    RECV_PID="$pid"
    exec {TO_SRV}>"$run/srv.in"
    exec {FROM_SRV}<"$run/srv.out"
    read -r -t 120 -u "$FROM_SRV" line || { cat "$run/server.err" >&2; die "the fake HEC server did not start"; }
    [[ "$line" =~ ^listening\ ([0-9]+)$ ]] || die "unexpected first line from the fake HEC server: $line"
    SRV_PORT="${BASH_REMATCH[1]}"
}

HEC_STATS=""
hec_stats() { # sets HEC_STATS to the server's counts
    echo stats >&"$TO_SRV" || return 1
    read -r -t 10 -u "$FROM_SRV" HEC_STATS || return 1
    [[ "$HEC_STATS" =~ ^events=([0-9]+)\ distinct=([0-9]+)\ duplicates=([0-9]+)\ requests=([0-9]+) ]]
}

# A logferry config directory: the shipped config/ (jvm.options included), the metrics and health server on a
# free port (another logferry on the machine may hold the default 9876), and only the given route file.
lf_config() { # dir route-file-content
    mkdir -p "$1/config/routes"
    cp "$REPO_ROOT/config/application.properties" "$REPO_ROOT/config/jvm.options" "$1/config/"
    printf '\n# written by bench/compare.sh\ncamel.management.port = %s\nhec.token = %s\n' \
        "$(free_port)" "$TOKEN" >>"$1/config/application.properties"
    printf '%s\n' "$2" >"$1/config/routes/default.camel.yaml"
}

SYSLOG_PORT=""
start_lf_listener() { # run dir
    local dir="$1/listener" mport pid
    SYSLOG_PORT="$(free_port)"
    lf_config "$dir" "- templatedRoute:
    routeTemplateRef: syslog-listener
    routeId: syslog-listener
    parameters:
      - {name: host, value: 127.0.0.1}
      - {name: port, value: \"$SYSLOG_PORT\"}
      - {name: certFile, value: $PKI/localhost.crt}
      - {name: keyFile, value: $PKI/localhost.key}
      - {name: caFile, value: $PKI/ca.crt}"
    mport="$(sed -n 's/^camel.management.port = //p' "$dir/config/application.properties" | tail -n 1)"
    (cd "$dir" && exec java @config/jvm.options -jar "$WORK/logferry.jar" >out.log 2>&1) &
    pid=$!
    RECEIVER_PIDS+=("$pid")
    RECV_PID="$pid"
    local deadline=$(( $(date +%s) + 120 ))
    until curl -sf "http://127.0.0.1:$mport/observe/health" >/dev/null 2>&1 && wait_listen "$SYSLOG_PORT" 1 "$pid"; do
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$dir/out.log" >&2; die "the logferry listener exited (log: $dir/out.log)"; }
        [[ $(date +%s) -lt $deadline ]] || die "the logferry listener did not start within 120 s (log: $dir/out.log)"
        sleep 0.2
    done
}

start_rsyslog_receiver() { # run dir
    local dir="$1/receiver" pid
    SYSLOG_PORT="$(free_port)"
    mkdir -p "$dir/work"
    # As bench/syslog-bench.sh: imtcp with the ossl driver, client certificates required, raw messages to a file.
    cat >"$dir/recv.conf" <<CONF
global(workDirectory="$dir/work" DefaultNetstreamDriver="ossl" DefaultNetstreamDriverCAFile="$PKI/ca.crt"
       DefaultNetstreamDriverCertFile="$PKI/localhost.crt" DefaultNetstreamDriverKeyFile="$PKI/localhost.key")
module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="x509/certvalid")
input(type="imtcp" port="$SYSLOG_PORT" address="127.0.0.1")
template(name="raw" type="string" string="%rawmsg%\n")
if \$syslogtag startswith 'rsyslogd' then { action(type="omfile" file="$dir/internal.log") stop }
action(type="omfile" file="$dir/received.log" template="raw")
CONF
    rsyslogd -n -f "$dir/recv.conf" -i "$dir/recv.pid" >"$dir/out.log" 2>&1 &
    pid=$!
    RECEIVER_PIDS+=("$pid")
    RECV_PID="$pid"
    wait_listen "$SYSLOG_PORT" 30 "$pid" || { cat "$dir/out.log" >&2; die "the rsyslog receiver did not listen on $SYSLOG_PORT"; }
}

# --- shippers: config and command (the input is in place before the spawn) -----------------------------------------
# Each sets SHIP_CWD and SHIP_CMD.
SHIP_CWD=""
SHIP_CMD=()
lf_command() {
    if [[ -z "$JAVA_OPTS" ]]; then
        SHIP_CMD=(java @config/jvm.options -jar "$WORK/logferry.jar")
    else
        # shellcheck disable=SC2206 # JAVA_OPTS is a list of words
        SHIP_CMD=(java $JAVA_OPTS -jar "$WORK/logferry.jar")
    fi
}

ship_logferry() { # pipeline run-dir
    local dir="$2/shipper"
    case "$1" in
        hec) lf_config "$dir" "# tail-to-hec with the template's defaults, as bench/hec-bench.sh
- templatedRoute:
    routeTemplateRef: tail-to-hec
    routeId: tail-to-hec
    parameters:
      - {name: paths, value: \"logs/*.log\"}
      - {name: url, value: \"http://127.0.0.1:$SRV_PORT\"}
      - {name: token, value: \"{{hec.token}}\"}
      - {name: ack, value: \"false\"}" ;;
        syslog) lf_config "$dir" "# tail-to-syslog with the template's defaults, as bench/syslog-bench.sh
- templatedRoute:
    routeTemplateRef: tail-to-syslog
    routeId: tail-to-syslog
    parameters:
      - {name: paths, value: \"logs/*.log\"}
      - {name: host, value: localhost}
      - {name: port, value: \"$SYSLOG_PORT\"}
      - {name: certFile, value: $PKI/bench-forwarder.crt}
      - {name: keyFile, value: $PKI/bench-forwarder.key}
      - {name: caFile, value: $PKI/ca.crt}" ;;
        store) lf_config "$dir" "$(cat "$REPO_ROOT/config/routes/default.camel.yaml")" ;;
    esac
    mkdir -p "$dir/data"
    place_input "$dir/logs"
    SHIP_CWD="$dir"
    lf_command
}

ship_rsyslog() { # pipeline(syslog) run-dir
    local dir="$2/shipper"
    mkdir -p "$dir/work"
    place_input "$dir/in"
    # As bench/syslog-bench.sh: imfile from the start of the file, omfwd over ossl TLS, octet-counted framing.
    cat >"$dir/send.conf" <<CONF
global(workDirectory="$dir/work" DefaultNetstreamDriver="ossl" DefaultNetstreamDriverCAFile="$PKI/ca.crt"
       DefaultNetstreamDriverCertFile="$PKI/bench-forwarder.crt" DefaultNetstreamDriverKeyFile="$PKI/bench-forwarder.key")
module(load="imfile")
input(type="imfile" File="$dir/in/app.log" Tag="app" freshStartTail="off")
if \$syslogtag startswith 'rsyslogd' then { action(type="omfile" file="$dir/internal.log") stop }
action(type="omfwd" target="127.0.0.1" port="$SYSLOG_PORT" protocol="tcp" StreamDriver="ossl" StreamDriverMode="1"
       StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost" TCP_Framing="octet-counted"
       template="RSYSLOG_SyslogProtocol23Format" action.resumeRetryCount="-1")
CONF
    SHIP_CWD="$dir"
    SHIP_CMD=(rsyslogd -n -f "$dir/send.conf" -i "$dir/send.pid")
}

ship_fluent_bit() { # pipeline(hec|syslog) run-dir
    local dir="$2/shipper" output
    mkdir -p "$dir/db"
    place_input "$dir/logs"
    case "$1" in
        # event_key $log: the event is the line as a string, as logferry sends it. Without it Fluent Bit sends
        # {"log": "<line>"} as the event, which the fake indexes, but as re-serialised JSON in which the line's
        # seq="N" reads seq=\"N\", so it finds no seq and every line would count as lost.
        hec) output="[OUTPUT]
    Name              splunk
    Match             *
    Host              127.0.0.1
    Port              $SRV_PORT
    TLS               off
    Splunk_Token      $TOKEN
    Splunk_Send_Raw   off
    Event_Key         \$log
    Workers           $FB_WORKERS
    Retry_Limit       no_limits" ;;
        # Fluent Bit's syslog output sends a message that already starts with '<' as it is (so the receiver
        # gets the generated RFC 5424 line itself, as from the other shippers), frames TCP syslog with LF (no
        # octet counting) and writes each message on its own.
        syslog) output="[OUTPUT]
    Name               syslog
    Match              *
    Host               127.0.0.1
    Port               $SYSLOG_PORT
    Mode               tcp
    Syslog_Format      rfc5424
    Syslog_Message_Key log
    Syslog_Maxsize     8192
    tls                on
    tls.verify         on
    tls.vhost          localhost
    tls.ca_file        $PKI/ca.crt
    tls.crt_file       $PKI/bench-forwarder.crt
    tls.key_file       $PKI/bench-forwarder.key
    Retry_Limit        no_limits" ;;
    esac
    # Tuned as a demanding user would: big read buffers, memory buffering with a generous limit, read the
    # existing backlog from its head, an offset database (as logferry's and rsyslog's state), 1 s rescans.
    cat >"$dir/fluent-bit.conf" <<CONF
[SERVICE]
    Flush             $FB_FLUSH
    Grace             5
    Daemon            off
    Log_Level         info
    HTTP_Server       off

[INPUT]
    Name              tail
    Tag               app
    Path              $dir/logs/*.log
    DB                $dir/db/tail.db
    Read_from_Head    true
    Refresh_Interval  1
    Buffer_Chunk_Size 1M
    Buffer_Max_Size   4M
    Mem_Buf_Limit     $FB_MEM_LIMIT
    storage.type      memory
    Skip_Long_Lines   on

$output
CONF
    SHIP_CWD="$dir"
    SHIP_CMD=("$FLUENT_BIT" -c "$dir/fluent-bit.conf")
}

# --- one run ------------------------------------------------------------------------------------------------------
RESULTS="$WORK/results.tsv"
printf 'pipeline\tshipper\trun\tt_all\tt_first\tt10\tt90\twhole\tsteady\tcpu\tcpu_per_m\thwm_mib\trecv_cpu\tother\tcount\tdistinct\tverdict\n' >"$RESULTS"
FAILED=0

run_one() { # pipeline shipper run-number
    local pipeline="$1" shipper="$2" r="$3"
    local run="$WORK/$pipeline-$shipper-$r"
    CUR_RUN="$run"
    mkdir -p "$run"
    RECV_PID=""
    local -a probe=()
    case "$pipeline" in
        hec)
            start_hec_server "$run"
            probe=(probe=hec srv_in_fd="$TO_SRV" srv_out_fd="$FROM_SRV") ;;
        syslog)
            if [[ "$shipper" == logferry ]]; then
                start_lf_listener "$run"
                probe=(probe=files "files=$run/listener/ingest/*/*.log")
            else
                start_rsyslog_receiver "$run"
                probe=(probe=files "files=$run/receiver/received.log")
            fi ;;
        store)
            probe=(probe=store "db=$run/shipper/data/events.db") ;;
    esac
    case "$shipper" in
        logferry) ship_logferry "$pipeline" "$run" ;;
        rsyslog) ship_rsyslog "$pipeline" "$run" ;;
        fluent-bit) ship_fluent_bit "$pipeline" "$run" ;;
    esac
    quiet_wait

    python3 "$WORK/watch.py" lines="$LINES" poll_ms="$POLL_MS" timeout="$TIMEOUT" stall="$STALL" cwd="$SHIP_CWD" \
        out="$run/shipper.out" pid_file="$run/shipper.pid" progress="$run/progress.tsv" recv_pid="${RECV_PID:-0}" \
        "${probe[@]}" -- "${SHIP_CMD[@]}" >"$run/result.txt" &
    WATCH_PID=$!
    local wrc=0
    wait "$WATCH_PID" || wrc=$?
    WATCH_PID=""
    if [[ $wrc -ne 0 ]]; then
        # the shipper did not deliver every line (it exited, stalled or timed out): a failed run, whose
        # figures are unknown; the receiver is still checked below, to tell lost lines from slow ones
        echo "t_all=nan t_first=nan t10=nan t90=nan whole=nan steady=nan cpu=nan hwm_mib=nan recv_cpu=nan other=nan rc=None" \
            >"$run/result.txt"
    fi

    # --- verify, after the shipper has stopped (a late resend would show up) -------------------------------------
    local detail verdict=PASS
    case "$pipeline" in
        hec)
            hec_stats || die "the fake HEC server does not answer after the run"
            detail="$HEC_STATS"
            stop_receivers ;;
        syslog)
            stop_receivers    # the receiver flushes its output file as it stops
            local files="$run/receiver/received.log"
            [[ "$shipper" == logferry ]] && files="$run/listener/ingest/*/*.log"
            detail="$(python3 "$WORK/watch.py" verify-files "$files" "$LINES" 2>&1)" || true ;;
        store)
            detail="$(python3 "$WORK/watch.py" verify-store "$run/shipper/data/events.db" "$LINES" 2>&1)" || true ;;
    esac
    # hec: "events=N distinct=N duplicates=..." (events counts duplicates and events without a seq);
    # the verifiers: "count=N distinct=N ok=0|1 ..." (ok: their extra checks)
    local count=0 distinct=0 ok=0
    if [[ "$detail" =~ ^(events|count)=([0-9]+)\ distinct=([0-9]+)(\ ok=([01]))? ]]; then
        count="${BASH_REMATCH[2]}"; distinct="${BASH_REMATCH[3]}"; ok="${BASH_REMATCH[5]:-1}"
    fi
    [[ $wrc -eq 0 && "$count" -eq "$LINES" && "$distinct" -eq "$LINES" && "$ok" -eq 1 ]] || { verdict=FAIL; FAILED=1; }
    CUR_RUN=""

    # shellcheck disable=SC2034 # stop_s and polls are set by the eval, kept in result.txt only
    local t_all t_first t10 t90 whole steady cpu hwm_mib recv_cpu other rc stop_s polls
    eval "$(tr ' ' '\n' <"$run/result.txt" | grep -E '^[a-z_0-9]+=[-0-9.a-zNn]+$' | sed 's/^/local /')"
    local cpu_per_m
    cpu_per_m="$(python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) * 1e6 / int(sys.argv[2])))" "$cpu" "$LINES")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pipeline" "$shipper" "$r" "$t_all" \
        "$t_first" "$t10" "$t90" "$whole" "$steady" "$cpu" "$cpu_per_m" "$hwm_mib" "$recv_cpu" "$other" "$count" \
        "$distinct" "$verdict" >>"$RESULTS"
    python3 - "$pipeline" "$shipper" "$r" "$t_all" "$whole" "$steady" "$t_first" "$cpu" "$cpu_per_m" "$hwm_mib" \
        "$recv_cpu" "$other" "$verdict" "$BUSY_CORES" <<'PY'
import sys
p, s, r, t_all, whole, steady, first, cpu, cpm, hwm, rcpu, other, verdict, busy = sys.argv[1:]
def n(v, d=0):
    f = float(v)
    return "n/a" if f != f else "{:,.{}f}".format(f, d)
print("%-6s %-10s run %s: whole %9s lines/s (%6.2f s) | steady %9s lines/s | first line %5.2f s | CPU %6.2f s (%s/M) "
      "| RSS %4.0f MiB | recv CPU %5.2f s | other %.2f%s | %s" % (
      p, s, r, n(whole), float(t_all), n(steady), float(first), float(cpu), cpm, float(hwm), float(rcpu), float(other),
      " BUSY" if float(other) > float(busy) else "", verdict))
PY
    [[ "$verdict" == PASS ]] || echo "            expected count = distinct = $LINES; the receiver holds: $detail" >&2
    [[ "${rc:-0}" =~ ^(0|143|None)$ ]] || echo "warning:    $shipper exited with status $rc after SIGTERM (log: $run/shipper.out)" >&2
}

# --- the runs: per pipeline, shippers alternating run by run ----------------------------------------------------------
for pipeline in "${PIPELINE_LIST[@]}"; do
    read -r -a order <<<"$(shippers_for "$pipeline")"
    if [[ ${#order[@]} -eq 0 ]]; then
        echo "skipping:    $pipeline: no shipper to run"
        continue
    fi
    echo
    echo "=== $pipeline: ${order[*]}; $RUNS run(s) each, $LINES lines ==="
    for r in $(seq 1 "$RUNS"); do
        for shipper in "${order[@]}"; do
            run_one "$pipeline" "$shipper" "$r"
        done
    done
done

# --- summary --------------------------------------------------------------------------------------------------------
COMMIT="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
# -dirty: the jar may hold changes the commit does not
[[ -z "$(git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]] || COMMIT="$COMMIT-dirty"
MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo
echo "== summary: $LINES lines ($BYTES bytes), clock from the spawn; median (min-max) of each shipper's runs =="
python3 - "$RESULTS" "$(date +%Y-%m-%d)" "$(nproc) cores, $MODEL" "$COMMIT" "java $JAVA_VERSION, logferry $LF_OPTS_TEXT" \
    "$FB_VERSION" "$RSYSLOG_VERSION" "$LINES" "$JAR_ID" <<'PY'
import csv, math, statistics, sys
path, date, machine, commit, jvm, fbv, rsv, lines, jar = sys.argv[1:10]
rows = list(csv.DictReader(open(path), delimiter="\t"))
ran = {r["shipper"] for r in rows}
fbv = fbv if "fluent-bit" in ran else ""
rsv = rsv if "rsyslog" in ran or ("fluent-bit" in ran and any(r["pipeline"] == "syslog" for r in rows)) else ""
groups = {}
for r in rows:
    groups.setdefault((r["pipeline"], r["shipper"]), []).append(r)

def vals(rs, k):
    return [float(r[k]) for r in rs if not math.isnan(float(r[k]))]

def med(rs, k):
    v = vals(rs, k)
    return statistics.median(v) if v else float("nan")

def cell(rs, k, d, unit=""):
    v = vals(rs, k)
    if not v:
        return "n/a"
    m = statistics.median(v)
    text = "{:,.{}f}{}".format(m, d, unit)
    return text if len(v) == 1 else "%s (%s-%s)" % (text, "{:,.{}f}".format(min(v), d), "{:,.{}f}".format(max(v), d))

cols = [("whole lines/s", "whole", 0, ""), ("steady lines/s", "steady", 0, ""), ("first line", "t_first", 2, " s"),
        ("CPU-s", "cpu", 2, ""), ("CPU-s/M lines", "cpu_per_m", 2, ""), ("peak RSS MiB", "hwm_mib", 0, "")]
table = []
for (p, s), rs in groups.items():
    verdicts = [r["verdict"] for r in rs]
    verdict = "PASS" if all(v == "PASS" for v in verdicts) else "FAIL (%d of %d)" % (verdicts.count("FAIL"), len(rs))
    table.append([p, s, str(len(rs))] + [cell(rs, k, d, u) for _, k, d, u in cols] + [verdict])
head = ["pipeline", "shipper", "runs"] + [c[0] for c in cols] + ["verdict"]
widths = [max(len(x[i]) for x in table + [head]) for i in range(len(head))]
fmt = "  ".join("%%-%ds" % w for w in widths)
print(fmt % tuple(head))
for t in table:
    print(fmt % tuple(t))

ratios = []
for (p, s), rs in groups.items():
    if s == "logferry" or (p, "logferry") not in groups:
        continue
    lf = groups[(p, "logferry")]
    w = med(lf, "whole") / med(rs, "whole")
    st = med(lf, "steady") / med(rs, "steady") if med(rs, "steady") > 0 else float("nan")
    ratios.append((p, s, w, st))
if ratios:
    print()
    for p, s, w, st in ratios:
        print("ratio logferry / %s (%s, medians): whole %.2f, steady %s" % (s, p, w, "n/a" if math.isnan(st) else "%.2f" % st))
busy = [r for r in rows if float(r["other"]) > 0.25]
if busy:
    print("\nnote: %d of %d runs had other processes using over 0.25 cores (marked BUSY above)" % (len(busy), len(rows)))

print("\nmarkdown for bench/README.md (\"Comparison with peers\": the rows for its table, the line for above it):\n")
peers = ", ".join(x for x in (fbv, rsv) if x)
counts = sorted({int(t[2]) for t in table})
runs_text = "%d run%s" % (counts[0], "" if counts[0] == 1 else "s") if len(counts) == 1 else \
    "%d-%d runs" % (counts[0], counts[-1])
print("%s: %s; %s%s; jar %s; %s lines, clock from the spawn; median (min-max) of %s per shipper.\n" % (
    date, machine, jvm, ("; " + peers) if peers else "", jar, "{:,}".format(int(lines)), runs_text))
print("| date | pipeline | shipper | lines/s (whole) | lines/s (steady) | first line | CPU-s | CPU-s / M lines | peak RSS MiB | verdict | commit |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---|---|")
for t in table:
    print("| %s | %s | %s |" % (date, " | ".join(t[:2] + t[3:]), commit))
for p, s, w, st in ratios:
    print("| %s | %s | logferry / %s | %.2f | %s | | | | | | %s |" % (date, p, s, w, "n/a" if math.isnan(st) else "%.2f" % st, commit))
PY

cd "$BENCH_DIR"
if [[ $FAILED -eq 0 && $KEEP -eq 0 ]]; then
    rm -rf "$WORK"
else
    echo
    echo "work dir kept: $WORK"
fi
[[ $FAILED -eq 0 ]] || die "verification failed (see the runs marked FAIL)"
