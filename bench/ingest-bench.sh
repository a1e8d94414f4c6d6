#!/usr/bin/env bash
# Ingest benchmark for logferry: how fast does one big log file get into the event store?
#
#   bench/ingest-bench.sh [--lines N] [--jar PATH] [--java-opts "..."] [--poll SECONDS] [--timeout SECONDS]
#                         [--quiet-wait SECONDS] [--profile] [--keep]
#                         [--postgres | --store-url jdbc:postgresql://HOST:PORT/DB [--store-user USER]]
#
# Generates N RFC 5424 lines (not timed), starts logferry on an empty logs/ directory, renames the file into
# logs/app.log, and times until lf_store_events holds N rows. Then stops logferry (SIGTERM) and verifies the
# rows with sqlite3 (or psql). See bench/README.md for what each printed figure means.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

LINES=1000000
JAR="target/logferry.jar"
JAVA_OPTS="-Xmx256m"
POLL=0.5
TIMEOUT=600
STARTUP_TIMEOUT=120
PROFILE=0
KEEP=0
QUIET_WAIT=0
STORE=sqlite        # sqlite | postgres (a private server in the work directory) | url (--store-url)
STORE_URL=""
STORE_USER=""

usage() {
    sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --lines N           lines to ship (default 1000000, about 280 bytes each)
  --jar PATH          logferry jar; relative paths are relative to the repository root (default target/logferry.jar)
  --java-opts "..."   JVM options for logferry (default -Xmx256m)
  --poll SECONDS      interval between row-count polls (default 0.5)
  --timeout SECONDS   give up when the rows are not all stored after this long (default 600)
  --quiet-wait SECONDS  before starting the clock, wait up to this long for a second in which other
                      processes use under 0.15 cores (default 0: do not wait)
  --profile           profile logferry during the timed window and print a summary (bench/jfr-top.py):
                      Java Flight Recorder (Java and native-method samples), per-thread CPU from /proc,
                      thread states and system calls (bench/thread-states.py), and perf if installed;
                      implies no change to the figures' meaning, but profiling costs some CPU
  --keep              keep the work directory (bench/work/<timestamp>) after a successful run
  --postgres          store into PostgreSQL instead of SQLite: initdb and start a private server (the newest
                      /usr/lib/postgresql/*/bin, server defaults: fsync and synchronous_commit on) in the work
                      directory on a free port, as the postgres user when run as root; its CPU is reported
  --store-url URL     store into an existing PostgreSQL database (jdbc:postgresql://HOST:PORT/DB), which must
                      be empty; the password, if any, comes from LOGFERRY_STORE_PASSWORD (also used by psql)
  --store-user USER   PostgreSQL user for --store-url (default: the driver's default)
EOF
}

die() {
    echo "ingest-bench: FAIL: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --lines) LINES="${2:?--lines needs a value}"; shift 2 ;;
        --jar) JAR="${2:?--jar needs a value}"; shift 2 ;;
        --java-opts) JAVA_OPTS="${2?--java-opts needs a value}"; shift 2 ;;
        --poll) POLL="${2:?--poll needs a value}"; shift 2 ;;
        --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
        --quiet-wait) QUIET_WAIT="${2:?--quiet-wait needs a value}"; shift 2 ;;
        --profile) PROFILE=1; shift ;;
        --keep) KEEP=1; shift ;;
        --postgres) STORE=postgres; shift ;;
        --store-url) STORE=url; STORE_URL="${2:?--store-url needs a value}"; shift 2 ;;
        --store-user) STORE_USER="${2:?--store-user needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
[[ "$LINES" =~ ^[1-9][0-9]*$ ]] || die "--lines must be a positive integer, was '$LINES'"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, was '$TIMEOUT'"
[[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--quiet-wait must be a whole number of seconds, was '$QUIET_WAIT'"
[[ "$JAR" = /* ]] || JAR="$REPO_ROOT/$JAR"

DB_TOOL=sqlite3
[[ "$STORE" == sqlite ]] || DB_TOOL=psql
for tool in java "$DB_TOOL" python3 getconf; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get update && apt-get install -y sqlite3 postgresql-client)"
done
if [[ "$STORE" == url && ! "$STORE_URL" =~ ^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]+) ]]; then
    die "--store-url must look like jdbc:postgresql://HOST[:PORT]/DATABASE, was '$STORE_URL'"
fi
if [[ $PROFILE -eq 1 ]]; then
    command -v jfr >/dev/null || die "--profile needs the JDK's jfr tool on the PATH"
fi


CLK_TCK="$(getconf CLK_TCK)"

# --- work directory --------------------------------------------------------------------------------------
new_work_dir ""
mkdir -p "$WORK/logs" "$WORK/data"
echo "work dir:   $WORK"
copy_stable_jar
echo "jar:        $JAR (sha256 $JAR_ID)"
cp -r "$REPO_ROOT/config" "$WORK/config"

# --- PostgreSQL (--postgres, --store-url) ------------------------------------------------------------------
PG_BIN=""; PG_DATA=""; PG_RUNAS=()
pg_ctl_stop() {
    [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]] || return 0
    "${PG_RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}
if [[ "$STORE" == postgres ]]; then
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [[ -x "$PG_BIN/initdb" ]] || die "--postgres needs PostgreSQL (apt-get install -y postgresql)"
    mkdir -p "$WORK/pg"
    if [[ "$(id -u)" == 0 ]]; then
        PG_RUNAS=(setpriv --reuid=postgres --regid=postgres --init-groups)
        chown postgres:postgres "$WORK/pg"
    fi
    PG_DATA="$WORK/pg/data"
    PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "${PG_RUNAS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U logferry --auth=trust -E UTF8 --no-locale \
        >"$WORK/pg/initdb.log" 2>&1 || die "initdb failed (log: $WORK/pg/initdb.log)"
    "${PG_RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg/server.log" -w \
        -o "-p $PG_PORT -k '$WORK/pg' -c listen_addresses=127.0.0.1" start >/dev/null \
        || die "PostgreSQL did not start (log: $WORK/pg/server.log)"
    "${PG_RUNAS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U logferry logs
    STORE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/logs"
    STORE_USER=logferry
    echo "postgres:   $("$PG_BIN/postgres" --version), private server on 127.0.0.1:$PG_PORT, data in $PG_DATA"
fi
PSQL=()
if [[ "$STORE" != sqlite ]]; then
    [[ "$STORE_URL" =~ ^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]+) ]]
    PSQL=(psql -X -q -t -A -F ' ' -v ON_ERROR_STOP=1 -h "${BASH_REMATCH[1]}" -p "${BASH_REMATCH[3]:-5432}"
          -d "${BASH_REMATCH[4]}")
    [[ -n "$STORE_USER" ]] && PSQL+=(-U "$STORE_USER")
    export PGPASSWORD="${LOGFERRY_STORE_PASSWORD:-}"
    existing="$("${PSQL[@]}" -c "SELECT to_regclass('lf_store_events') IS NOT NULL")" \
        || die "cannot connect to $STORE_URL with psql"
    [[ "$existing" == f ]] || die "$STORE_URL already holds lf_store_events: give the benchmark an empty database"
    # the default pipeline, pointed at PostgreSQL (the password, if any, from the environment)
    cat >"$WORK/config/routes/default.camel.yaml" <<YAML
- templatedRoute:
    routeTemplateRef: tail-to-store
    routeId: tail-to-store
    parameters:
      - name: storeUrl
        value: "$STORE_URL"
      - name: storeUser
        value: "${STORE_USER:- }"
      - name: storePassword
        value: "{{env:LOGFERRY_STORE_PASSWORD: }}"
YAML
    echo "store:      $STORE_URL${STORE_USER:+ (user $STORE_USER)}"
fi

# --- test data (not timed) ---------------------------------------------------------------------------------
echo "generating: $LINES lines ..."
gen_start="$(now)"
python3 "$BENCH_DIR/gen-lines.py" --lines "$LINES" --out "$WORK/staging/app.log"
BYTES="$(stat -c %s "$WORK/staging/app.log")"
# Write the generated file back to disk now, so the kernel's writeback of it does not compete with the
# store's fsyncs inside the timed window.
sync
echo "generated:  $BYTES bytes in $(fmt "$(calc "$(now) - $gen_start")" 1) s"

# --- start logferry ----------------------------------------------------------------------------------------
# A GC log (cheap) tells whether collections explain a slow run; pauses in the timed window are summed.
PROFILE_OPTS=("-Xlog:gc:file=$WORK/gc.log:utctime")
JFR_FILE="$WORK/logferry.jfr"
if [[ $PROFILE -eq 1 ]]; then
    # DumpPerfMapAtExit writes /tmp/perf-PID.map, so perf can name JIT-compiled Java methods.
    PROFILE_OPTS+=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+DumpPerfMapAtExit
                  "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$JFR_FILE")
fi
OUT="$WORK/logferry.out"
PID=""
cleanup() {
    if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null || true
        sleep 5
        kill -KILL "$PID" 2>/dev/null || true
    fi
    pg_ctl_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$WORK"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of words
java $JAVA_OPTS "${PROFILE_OPTS[@]}" -jar "$WORK/logferry.jar" >"$OUT" 2>&1 &
PID=$!
echo "logferry:   pid $PID, java $JAVA_OPTS ${PROFILE_OPTS[*]} -jar logferry.jar"

started=0
for _ in $(seq 1 $((STARTUP_TIMEOUT * 5))); do
    if grep -qE 'Apache Camel .*\(logferry\) started' "$OUT"; then started=1; break; fi
    kill -0 "$PID" 2>/dev/null || { tail -n 30 "$OUT" >&2; die "logferry exited during start-up (log: $OUT)"; }
    sleep 0.2
done
[[ $started -eq 1 ]] || { tail -n 30 "$OUT" >&2; die "logferry did not start within ${STARTUP_TIMEOUT}s"; }
if [[ "$STORE" == sqlite ]]; then
    [[ -f data/events.db ]] || die "logferry started but data/events.db does not exist"
    q() { sqlite3 -cmd ".timeout 5000" data/events.db "$1"; }
else
    q() { "${PSQL[@]}" -c "$1"; }
fi
# CPU of the private PostgreSQL server: the postmaster and its children (the writer's backend lives through
# the run; background workers too). 0 when the database is not ours.
pg_ticks() {
    [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]] || { echo 0; return; }
    local pm total=0 p
    pm="$(head -n 1 "$PG_DATA/postmaster.pid")"
    for p in "$pm" $(cat /proc/"$pm"/task/*/children 2>/dev/null); do
        total=$(( total + $(cpu_ticks "$p" 2>/dev/null || echo 0) ))
    done
    echo "$total"
}

# Optionally wait for the machine to be quiet: a neighbour's build would slow logferry down.
if [[ $QUIET_WAIT -gt 0 ]]; then
    quiet=0
    for _ in $(seq 1 "$QUIET_WAIT"); do
        read -r m1 _s <<<"$(machine_ticks)"; c1="$(cpu_ticks "$PID")"
        sleep 1
        read -r m2 _s <<<"$(machine_ticks)"; c2="$(cpu_ticks "$PID")"
        if (( (m2 - m1) - (c2 - c1) < CLK_TCK * 15 / 100 )); then quiet=1; break; fi
    done
    [[ $quiet -eq 1 ]] && echo "quiet:      other processes use under 0.15 cores" \
        || echo "warning:    the machine did not get quiet within ${QUIET_WAIT}s; measuring anyway" >&2
fi

# --- timed part -------------------------------------------------------------------------------------------
task_snapshot "$PID" >"$WORK/tasks-start.txt"
if [[ $PROFILE -eq 1 ]]; then
    python3 "$BENCH_DIR/thread-states.py" "$PID" "$WORK/states.stop" "$WORK/states.txt" &
    SAMPLER_PID=$!
    # perf (if installed and allowed) sees native code too: SQLite's C code, the JVM, the kernel.
    PERF_PID=""
    if command -v perf >/dev/null; then
        perf record -q -F 199 -p "$PID" -o "$WORK/perf.data" >"$WORK/perf.out" 2>&1 &
        PERF_PID=$!
    fi
fi
cpu_start="$(cpu_ticks "$PID")"
pg_start="$(pg_ticks)"
read -r machine_start steal_start <<<"$(machine_ticks)"
t_start="$(now)"
mv "$WORK/staging/app.log" "$WORK/logs/app.log"
echo "moved:      staging/app.log -> logs/app.log, clock started"

# Progress is polled with max(id), which is O(log n) and never below count(*) (ids are distinct
# positive integers), so it cannot report the end early; count(*) then confirms every row is there.
# The loop forks only sqlite3 (and sleep): it shares the machine with logferry, so it must stay cheap.
start_us="$(now_us)"
deadline_us=$(( start_us + TIMEOUT * 1000000 ))
last_report_us="$start_us"
count=0
while :; do
    sleep "$POLL"
    kill -0 "$PID" 2>/dev/null || { tail -n 30 "$OUT" >&2; die "logferry exited during the run (log: $OUT)"; }
    max_id="$(q "SELECT coalesce(max(id), 0) FROM lf_store_events")" || max_id=0
    t_now="$(now)"
    if [[ "$max_id" -ge "$LINES" ]]; then
        count="$(q "SELECT count(*) FROM lf_store_events")"
        t_now="$(now)"
        [[ "$count" -ge "$LINES" ]] && break
    fi
    now_at="$(now_us)"
    if (( now_at > deadline_us )); then
        tail -n 30 "$OUT" >&2
        die "only $max_id of $LINES rows stored after ${TIMEOUT}s (log: $OUT, work dir kept)"
    fi
    if (( now_at - last_report_us >= 5000000 )); then
        elapsed=$(( (now_at - start_us) / 100000 ))
        printf 'progress:   %s rows after %d.%d s\n' "$max_id" $(( elapsed / 10 )) $(( elapsed % 10 ))
        last_report_us="$now_at"
    fi
done
t_end="$t_now"
echo "$t_start $t_end" >"$WORK/window.txt"   # the timed window, Unix seconds (for jfr-top.py --from/--to)
cpu_end="$(cpu_ticks "$PID")"
pg_end="$(pg_ticks)"
read -r machine_end steal_end <<<"$(machine_ticks)"
task_snapshot "$PID" >"$WORK/tasks-end.txt"
if [[ $PROFILE -eq 1 ]]; then
    touch "$WORK/states.stop"
    wait "$SAMPLER_PID" || echo "warning: the thread-state sampler failed" >&2
    if [[ -n "$PERF_PID" ]]; then
        kill -INT "$PERF_PID" 2>/dev/null || true
        wait "$PERF_PID" || true
    fi
fi
HWM_KB="$(status_kb "$PID" VmHWM)"
RSS_KB="$(status_kb "$PID" VmRSS)"

# --- stop logferry ----------------------------------------------------------------------------------------
kill -TERM "$PID"
stop_start="$(now)"
rc=0
for _ in $(seq 1 600); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then
    kill -KILL "$PID" 2>/dev/null || true
    die "logferry did not exit within 60 s of SIGTERM (log: $OUT)"
fi
wait "$PID" || rc=$?
PID=""
STOP_S="$(calc "$(now) - $stop_start")"
# 143 = 128 + SIGTERM: the JVM's exit status after a clean shutdown-hook exit on SIGTERM.
[[ $rc -eq 0 || $rc -eq 143 ]] || echo "warning:    logferry exited with status $rc (log: $OUT)" >&2

# --- verify ----------------------------------------------------------------------------------------------
# Each raw line ends with " seq=N": rtrim(raw, digits) strips N, so what follows it is N.
if [[ "$STORE" != sqlite ]]; then
read -r V_COUNT V_OFFSETS V_SEQS V_SEQ_MIN V_SEQ_MAX V_PARSED V_SD_OK V_MIN_RECEIVED V_MAX_RECEIVED <<<"$(q "
WITH s AS (
  SELECT byte_offset, rfc5424, structured_data, received_at,
         CASE WHEN right(rtrim(raw, '0123456789'), 5) = ' seq='
              THEN substr(raw, length(rtrim(raw, '0123456789')) + 1)::bigint END AS seq
  FROM lf_store_events)
SELECT count(*), count(DISTINCT byte_offset), count(DISTINCT seq), min(seq), max(seq),
       count(*) FILTER (WHERE rfc5424), count(*) FILTER (WHERE strpos(structured_data, 'seq=\"' || seq || '\"') > 0),
       (extract(epoch FROM min(received_at)) * 1000)::bigint, (extract(epoch FROM max(received_at)) * 1000)::bigint
FROM s")"
else
read -r V_COUNT V_OFFSETS V_SEQS V_SEQ_MIN V_SEQ_MAX V_PARSED V_SD_OK V_MIN_RECEIVED V_MAX_RECEIVED <<<"$(q "
WITH s AS (
  SELECT byte_offset, rfc5424, structured_data, received_at,
         CASE WHEN substr(rtrim(raw, '0123456789'), -5) = ' seq='
              THEN CAST(substr(raw, length(rtrim(raw, '0123456789')) + 1) AS INTEGER) END AS seq
  FROM lf_store_events)
SELECT count(*), count(DISTINCT byte_offset), count(DISTINCT seq), min(seq), max(seq),
       sum(rfc5424 = 1), sum(instr(structured_data, 'seq=\"' || seq || '\"') > 0), min(received_at), max(received_at)
FROM s" | tr '|' ' ')"
fi
V_DUP_KEYS="$(q "SELECT count(*) FROM (SELECT 1 FROM lf_store_lines GROUP BY source, fingerprint, byte_offset HAVING count(*) > 1) AS d")"

checks=()
VERDICT=PASS
check() { # name ok?
    if [[ "$2" == 1 ]]; then checks+=("ok    $1"); else checks+=("FAIL  $1"); VERDICT=FAIL; fi
}
check "rows = $LINES (got $V_COUNT)" "$([[ "$V_COUNT" -eq "$LINES" ]] && echo 1 || echo 0)"
check "distinct byte_offset = $LINES (got $V_OFFSETS)" "$([[ "$V_OFFSETS" -eq "$LINES" ]] && echo 1 || echo 0)"
check "distinct seq in raw = $LINES, 0..$((LINES - 1)) (got $V_SEQS, ${V_SEQ_MIN:-?}..${V_SEQ_MAX:-?})" \
    "$([[ "$V_SEQS" -eq "$LINES" && "$V_SEQ_MIN" == 0 && "$V_SEQ_MAX" == $((LINES - 1)) ]] && echo 1 || echo 0)"
notes=()
[[ "$V_PARSED" -eq "$LINES" ]] && notes+=("ok    parsed as RFC 5424: $V_PARSED") \
    || notes+=("WARN  parsed as RFC 5424: $V_PARSED of $LINES")
[[ "$V_SD_OK" -eq "$LINES" ]] && notes+=("ok    structured_data seq=\"N\" matches raw: $V_SD_OK") \
    || notes+=("WARN  structured_data seq=\"N\" matches raw: $V_SD_OK of $LINES")
[[ "$V_DUP_KEYS" -eq 0 ]] && notes+=("ok    duplicate origin keys: 0") || notes+=("WARN  duplicate origin keys: $V_DUP_KEYS")

# --- figures ---------------------------------------------------------------------------------------------
WALL="$(calc "$t_end - $t_start")"
# received_at is the JVM's wall clock (ms) when the last batch was bound: the end without the poll's slack
# (PostgreSQL: the database's clock when the last batch's transaction began).
STORE_WALL="$(calc "max(0.001, $V_MAX_RECEIVED / 1000.0 - $t_start)")"
LPS="$(calc "$LINES / $WALL")"
MBPS="$(calc "$BYTES / 1048576 / $WALL")"
STORE_LPS="$(calc "$LINES / $STORE_WALL")"
FIRST_S="$(calc "$V_MIN_RECEIVED / 1000.0 - $t_start")"
CPU_S="$(calc "($cpu_end - $cpu_start) / $CLK_TCK")"
CPU_PER_M="$(calc "$CPU_S * 1000000 / $LINES")"
PG_CPU_S="$(calc "($pg_end - $pg_start) / $CLK_TCK")"
CORES="$(calc "$CPU_S / $WALL")"
# CPU used on the machine during the timed window by everything except logferry (this script's polls
# included): a busy neighbour, e.g. a build, makes the figures worse and noisier.
OTHER_CORES="$(calc "max(0.0, ($machine_end - $machine_start) - ($cpu_end - $cpu_start) - ($pg_end - $pg_start)) / $CLK_TCK / $WALL")"
STEAL_CORES="$(calc "($steal_end - $steal_start) / $CLK_TCK / $WALL")"
HWM_MIB="$(calc "$HWM_KB / 1024")"
if [[ "$STORE" == sqlite ]]; then
    DB_BYTES="$(stat -c %s data/events.db)"
    DB_NAME="events.db"
else
    DB_BYTES="$(q "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE 'lf_store_%' AND c.relkind = 'r'")"
    DB_NAME="lf_store_* tables"
fi
DB_MIB="$(calc "$DB_BYTES / 1048576")"
# "[2026-11-23T18:56:06.319+0000] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->3M(64M) 7.523ms"
GC_SUMMARY="$(python3 - "$WORK/gc.log" "$t_start" "$t_end" <<'PY'
import re, sys
from datetime import datetime
start, end = float(sys.argv[2]), float(sys.argv[3])
n = young = 0
total = longest = 0.0
line_re = re.compile(r"^\[([^\]]+)\] GC\(\d+\) (Pause \w+).* ([\d.]+)ms$")
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError:
    lines = []
for line in lines:
    m = line_re.match(line)
    if not m:
        continue
    t = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    if start <= t <= end:
        ms = float(m.group(3))
        n += 1
        young += m.group(2) == "Pause Young"
        total += ms
        longest = max(longest, ms)
print("%d pauses (%d young), %.0f ms in all, longest %.1f ms" % (n, young, total, longest))
PY
)"
JAVA_VERSION="$(java -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')"

echo
echo "== logferry ingest benchmark =="
printf '%-22s %s\n' "lines" "$LINES" \
    "bytes" "$BYTES ($(fmt "$(calc "$BYTES / 1048576")" 1) MiB, $(fmt "$(calc "$BYTES / $LINES")" 1) B/line)" \
    "wall" "$(fmt "$WALL") s (polled every $POLL s; first batch bound at $(fmt "$FIRST_S") s, last at $(fmt "$STORE_WALL") s)" \
    "throughput" "$(fmt "$LPS" 0) lines/s, $(fmt "$MBPS" 1) MiB/s (to last batch: $(fmt "$STORE_LPS" 0) lines/s)" \
    "shipper CPU" "$(fmt "$CPU_S") s ($(fmt "$CPU_PER_M") CPU-s per million lines, $(fmt "$CORES") cores busy)" \
    "peak RSS" "$(fmt "$HWM_MIB" 1) MiB (VmHWM; RSS at end $(fmt "$(calc "$RSS_KB / 1024")" 1) MiB)" \
    "$DB_NAME" "$(fmt "$DB_MIB" 1) MiB" \
    "store" "${STORE_URL:-jdbc:sqlite:data/events.db}$([[ -n "$PG_DATA" ]] && echo ", private server used $(fmt "$PG_CPU_S") CPU-s ($(fmt "$(calc "$PG_CPU_S * 1000000 / $LINES")") per million lines)")" \
    "shutdown" "$(fmt "$STOP_S" 1) s after SIGTERM, exit status $rc" \
    "other load" "$(fmt "$OTHER_CORES") cores busy with other processes during the run (steal $(fmt "$STEAL_CORES"))" \
    "GC in the run" "$GC_SUMMARY" \
    "JVM" "java $JAVA_VERSION $JAVA_OPTS, $(nproc) cores" \
    "jar" "sha256 $JAR_ID"
if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.25 else 1)" "$OTHER_CORES"; then
    echo "warning:               other processes kept $(fmt "$OTHER_CORES") cores busy: the figures are not from a quiet machine"
fi
echo "verification:"
for c in "${checks[@]}" "${notes[@]}"; do echo "  $c"; done
echo "verdict                $VERDICT"
echo
echo "README row:"
echo "| $(date +%Y-%m-%d) | $(nproc) cores, Java $JAVA_VERSION | \`$JAVA_OPTS\` | $LINES | $(fmt "$(calc "$BYTES / 1048576")" 0) MiB | $(fmt "$WALL") s | $(fmt "$LPS" 0) | $(fmt "$MBPS" 1) | $(fmt "$CPU_S" 1) s ($(fmt "$CPU_PER_M" 1)/M) | $(fmt "$HWM_MIB" 0) MiB | $(fmt "$OTHER_CORES") | ${JAR_ID%%,*} | $VERDICT |"

if [[ $PROFILE -eq 1 ]]; then
    echo
    if [[ -s "$JFR_FILE" ]]; then
        # Only samples from the timed window count: start-up and shutdown are left out.
        python3 "$BENCH_DIR/jfr-top.py" "$JFR_FILE" --from "$t_start" --to "$t_end" --top 15 \
            --tasks-start "$WORK/tasks-start.txt" --tasks-end "$WORK/tasks-end.txt" --clk-tck "$CLK_TCK" \
            --states "$WORK/states.txt" --perf "$WORK/perf.data" \
            | tee "$WORK/profile.txt" || echo "warning: could not summarise $JFR_FILE" >&2
    else
        echo "warning: no flight recording at $JFR_FILE" >&2
    fi
fi

cd "$BENCH_DIR"
if [[ "$VERDICT" == PASS && $KEEP -eq 0 ]]; then
    rm -rf "$WORK"
else
    echo
    echo "work dir kept: $WORK"
fi
[[ "$VERDICT" == PASS ]] || die "verification failed"
