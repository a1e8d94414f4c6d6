#!/usr/bin/env bash
# HEC benchmark for logferry: how fast does one big log file reach a Splunk HTTP Event Collector?
#
#   bench/hec-bench.sh [--lines N] [--ack off|on|both] [--runs K] [--concurrency N] [--max-events N]
#                      [--gzip true|false] [--param NAME=VALUE]... [--java-opts "..."] [--server-opts "..."]
#                      [--jar PATH] [--server-cp CP] [--poll SECONDS] [--timeout SECONDS] [--quiet-wait SECONDS]
#                      [--retry-busy N] [--profile] [--keep]
#
# Generates N RFC 5424 lines once (not timed). Each run starts the fake HEC server (test code, its own JVM) and
# logferry (route template tail-to-hec, event endpoint) on an empty logs/ directory, renames the file into
# logs/app.log and times until the server has indexed every seq=N. Then stops both and checks the server's
# counts. See bench/README.md ("HEC benchmark") for what each printed figure means.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

LINES=1000000
ACK_MODES="both"
RUNS=1
JAR="target/logferry.jar"
JAVA_OPTS=""
JAVA_OPTS_SET=0
SERVER_OPTS="-Xmx512m -XX:+UseParallelGC"
SERVER_CP=""
POLL=0.25
TIMEOUT=600
STARTUP_TIMEOUT=120
PROFILE=0
KEEP=0
QUIET_WAIT=0
RETRY_BUSY=0
BUSY_CORES=0.25    # a run during which other processes used more than this is "busy"
PARAMS=()          # NAME=VALUE template parameters on top of the defaults
TOKEN="11111111-2222-3333-4444-555555555555"
SERVER_MAIN="io.logferry.testsupport.hec.FakeHecServerMain"

usage() {
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --lines N             lines to ship (default 1000000, about 280 bytes each)
  --ack MODE            off, on or both (default both: alternating off, on, off, on, ...)
  --runs K              runs of each ack mode (default 1); the summary gives medians and ranges
  --concurrency N       template parameter concurrency (requests in flight; template default 4)
  --max-events N        template parameter maxEvents (events per request; template default 1000)
  --gzip true|false     template parameter gzip (template default false)
  --param NAME=VALUE    any other tail-to-hec parameter, e.g. batchLines=5000 (repeatable)
  --java-opts "..."     JVM options for logferry (default: the options in config/jvm.options)
  --server-opts "..."   JVM options for the fake HEC server (default -Xmx512m -XX:+UseParallelGC)
  --jar PATH            logferry jar; relative paths are relative to the repository root (default target/logferry.jar)
  --server-cp CP        class path of the fake HEC server (default: target/test-classes and the test
                        dependencies from mvn -o dependency:build-classpath)
  --poll SECONDS        interval between the server's stats polls (default 0.25)
  --timeout SECONDS     give up when not every line arrived after this long (default 600)
  --quiet-wait SECONDS  before starting the clock, wait up to this long for a second in which other
                        processes use under 0.15 cores (default 0: do not wait)
  --retry-busy N        repeat a run, at most N more times, when other processes used over 0.25 cores
                        during it (default 0); busy runs stay in the table, marked, and the summary gives
                        medians over all runs and over the quiet ones
  --profile             profile logferry's JVM during the timed window (JFR, per-thread CPU, thread states,
                        perf if installed; summarised by bench/jfr-top.py) and print the server's CPU per
                        thread; profiling costs CPU, so take throughput from runs without it
  --keep                keep the work directory (bench/work/hec-<timestamp>) after a successful run
EOF
}

die() {
    echo "hec-bench: FAIL: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --lines) LINES="${2:?--lines needs a value}"; shift 2 ;;
        --ack) ACK_MODES="${2:?--ack needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --concurrency) PARAMS+=("concurrency=${2:?--concurrency needs a value}"); shift 2 ;;
        --max-events) PARAMS+=("maxEvents=${2:?--max-events needs a value}"); shift 2 ;;
        --gzip) PARAMS+=("gzip=${2:?--gzip needs a value}"); shift 2 ;;
        --param) PARAMS+=("${2:?--param needs NAME=VALUE}"); shift 2 ;;
        --java-opts) JAVA_OPTS="${2?--java-opts needs a value}"; JAVA_OPTS_SET=1; shift 2 ;;
        --server-opts) SERVER_OPTS="${2?--server-opts needs a value}"; shift 2 ;;
        --jar) JAR="${2:?--jar needs a value}"; shift 2 ;;
        --server-cp) SERVER_CP="${2:?--server-cp needs a value}"; shift 2 ;;
        --poll) POLL="${2:?--poll needs a value}"; shift 2 ;;
        --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
        --quiet-wait) QUIET_WAIT="${2:?--quiet-wait needs a value}"; shift 2 ;;
        --retry-busy) RETRY_BUSY="${2:?--retry-busy needs a value}"; shift 2 ;;
        --profile) PROFILE=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
[[ "$LINES" =~ ^[1-9][0-9]*$ ]] || die "--lines must be a positive integer, was '$LINES'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, was '$RUNS'"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, was '$TIMEOUT'"
[[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--quiet-wait must be a whole number of seconds, was '$QUIET_WAIT'"
[[ "$RETRY_BUSY" =~ ^[0-9]+$ ]] || die "--retry-busy must be a whole number, was '$RETRY_BUSY'"
case "$ACK_MODES" in
    off) MODES=(off) ;;
    on) MODES=(on) ;;
    both) MODES=(off on) ;;
    *) die "--ack must be off, on or both, was '$ACK_MODES'" ;;
esac
for p in "${PARAMS[@]}"; do
    [[ "$p" =~ ^[A-Za-z][A-Za-z0-9]*=.*$ ]] || die "template parameters are NAME=VALUE, was '$p'"
    case "${p%%=*}" in
        url|token|ack) die "--param ${p%%=*} is set by the harness" ;;
    esac
done
[[ "$JAR" = /* ]] || JAR="$REPO_ROOT/$JAR"
if [[ $JAVA_OPTS_SET -eq 0 ]]; then
    # What a user gets from `java @config/jvm.options -jar ...`: the non-comment lines.
    JAVA_OPTS="$(grep -v '^[[:space:]]*\(#\|$\)' "$REPO_ROOT/config/jvm.options" | tr '\n' ' ' | sed 's/ *$//')"
fi

for tool in java python3 getconf sqlite3; do
    command -v "$tool" >/dev/null || die "$tool is not installed (sqlite3: apt-get update && apt-get install -y sqlite3)"
done
if [[ $PROFILE -eq 1 ]]; then
    command -v jfr >/dev/null || die "--profile needs the JDK's jfr tool on the PATH"
fi


CLK_TCK="$(getconf CLK_TCK)"
trap '' PIPE   # a dead server must not kill the script through SIGPIPE; writes to it fail instead

# --- work directory --------------------------------------------------------------------------------------
new_work_dir "hec-"
echo "work dir:    $WORK"
copy_stable_jar
echo "jar:         $JAR (sha256 $JAR_ID)"

# The fake HEC server runs from a private copy of the test classes (same reason) and the test class path.
if [[ -z "$SERVER_CP" ]]; then
    [[ -f "$REPO_ROOT/target/test-classes/${SERVER_MAIN//.//}.class" ]] \
        || die "target/test-classes has no $SERVER_MAIN: build with mvn -o -q -DskipTests package"
    cp -r "$REPO_ROOT/target/test-classes" "$WORK/server-classes"
    (cd "$REPO_ROOT" && mvn -o -q dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$WORK/server-deps.txt" >"$WORK/mvn-classpath.out" 2>&1) \
        || { cat "$WORK/mvn-classpath.out" >&2; die "mvn -o dependency:build-classpath failed"; }
    SERVER_CP="$WORK/server-classes:$(cat "$WORK/server-deps.txt")"
fi
echo "$SERVER_CP" >"$WORK/server.cp"

# --- test data (not timed) ---------------------------------------------------------------------------------
echo "generating:  $LINES lines ..."
gen_start="$(now)"
python3 "$BENCH_DIR/gen-lines.py" --lines "$LINES" --out "$WORK/staging/app.log"
BYTES="$(stat -c %s "$WORK/staging/app.log")"
# Write the file back to disk now, so the kernel's writeback of it does not land in a timed window.
sync
echo "generated:   $BYTES bytes in $(fmt "$(calc "$(now) - $gen_start")" 1) s; each run renames this file into its logs/"

JAVA_VERSION="$(java -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')"
PARAMS_TEXT="${PARAMS[*]:-}"
PARAMS_TEXT="${PARAMS_TEXT:-defaults}"

# --- processes of the current run, stopped on any exit ------------------------------------------------------
LF_PID=""
SRV_PID=""
SAMPLER_PID=""
PERF_PID=""
TO_SRV=""
FROM_SRV=""
cleanup() {
    local p
    for p in "$SAMPLER_PID" "$PERF_PID"; do
        [[ -n "$p" ]] && kill -INT "$p" 2>/dev/null || true
    done
    if [[ -n "$LF_PID" ]] && kill -0 "$LF_PID" 2>/dev/null; then
        kill -TERM "$LF_PID" 2>/dev/null || true
        sleep 5
        kill -KILL "$LF_PID" 2>/dev/null || true
    fi
    if [[ -n "$SRV_PID" ]] && kill -0 "$SRV_PID" 2>/dev/null; then
        kill -TERM "$SRV_PID" 2>/dev/null || true
    fi
    # put the input back, so a kept work directory can be rerun by hand
    for d in "$WORK"/run-*/logs; do
        [[ -f "$d/app.log" && ! -e "$WORK/staging/app.log" ]] && mv "$d/app.log" "$WORK/staging/app.log"
    done 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stats_line=""
# Asks the server for its counts; sets S_EVENTS S_DISTINCT S_DUPS S_REQUESTS. Fails if it does not answer.
server_stats() {
    kill -0 "$SRV_PID" 2>/dev/null || return 1
    echo stats >&"$TO_SRV" || return 1
    read -r -t 10 -u "$FROM_SRV" stats_line || return 1
    [[ "$stats_line" =~ ^events=([0-9]+)\ distinct=([0-9]+)\ duplicates=([0-9]+)\ requests=([0-9]+) ]] || return 1
    S_EVENTS="${BASH_REMATCH[1]}"; S_DISTINCT="${BASH_REMATCH[2]}"
    S_DUPS="${BASH_REMATCH[3]}"; S_REQUESTS="${BASH_REMATCH[4]}"
}

RESULTS="$WORK/results.tsv"
printf 'ack\twall\teps\tmibps\tlf_cpu\tsrv_cpu\tlf_hwm_mib\tsrv_hwm_mib\tdups\tevents\tdistinct\trequests\tother\tload1\tconfirmed\twire_mib\tverdict\tprofiled\tbusy\tlf_gc_s\tfirst_s\teps_after\n' >"$RESULTS"
FAILED=0

# --- one run ---------------------------------------------------------------------------------------------
run_one() { # ack(off|on) index
    local ack="$1" idx="$2"
    local ack_bool=false
    [[ "$ack" == on ]] && ack_bool=true
    local RUN="$WORK/run-$idx-ack-$ack"
    mkdir -p "$RUN/logs" "$RUN/data"
    cp -r "$REPO_ROOT/config" "$RUN/config"
    echo
    echo "=== run $idx: ack $ack, parameters: $PARAMS_TEXT ==="
    local LOAD_BEFORE
    LOAD_BEFORE="$(loadavg)"

    # The server: stdin and stdout through FIFOs, so this shell asks for stats without forking.
    mkfifo "$RUN/srv.in" "$RUN/srv.out"
    # shellcheck disable=SC2086 # SERVER_OPTS is a list of words
    java $SERVER_OPTS "-Xlog:gc:file=$RUN/server-gc.log:utctime" -cp "$SERVER_CP" "$SERVER_MAIN" \
        --port=0 "--token=$TOKEN" "--ack=$ack_bool" --retain-events=false \
        <"$RUN/srv.in" >"$RUN/srv.out" 2>"$RUN/server.err" &
    SRV_PID=$!
    exec {TO_SRV}>"$RUN/srv.in"
    exec {FROM_SRV}<"$RUN/srv.out"
    local line port
    read -r -t 60 -u "$FROM_SRV" line || { cat "$RUN/server.err" >&2; die "the fake HEC server did not start"; }
    [[ "$line" =~ ^listening\ ([0-9]+)$ ]] || die "unexpected first line from the fake HEC server: $line"
    port="${BASH_REMATCH[1]}"
    echo "server:      pid $SRV_PID, http://127.0.0.1:$port, ack=$ack_bool, java $SERVER_OPTS"

    # logferry's pipeline: the shipped template with the defaults, except url, token, ack and --param/options.
    printf '\n# written by bench/hec-bench.sh\nhec.token = %s\n' "$TOKEN" >>"$RUN/config/application.properties"
    {
        echo "# Written by bench/hec-bench.sh: logs/*.log to the fake HEC server, template defaults except these."
        echo "- templatedRoute:"
        echo "    routeTemplateRef: tail-to-hec"
        echo "    routeId: tail-to-hec"
        echo "    parameters:"
        local p
        for p in "paths=logs/*.log" "url=http://127.0.0.1:$port" "token={{hec.token}}" "ack=$ack_bool" "${PARAMS[@]}"; do
            printf '      - name: %s\n        value: "%s"\n' "${p%%=*}" "${p#*=}"
        done
    } >"$RUN/config/routes/default.camel.yaml"

    local -a lf_opts=("-Xlog:gc:file=$RUN/gc.log:utctime")
    local JFR_FILE="$RUN/logferry.jfr"
    if [[ $PROFILE -eq 1 ]]; then
        lf_opts+=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+DumpPerfMapAtExit
                  "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$JFR_FILE")
    fi
    local OUT="$RUN/logferry.out"
    cd "$RUN"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of words
    java $JAVA_OPTS "${lf_opts[@]}" -jar "$WORK/logferry.jar" >"$OUT" 2>&1 &
    LF_PID=$!
    echo "logferry:    pid $LF_PID, java $JAVA_OPTS ${lf_opts[*]} -jar logferry.jar"

    local started=0 _
    for _ in $(seq 1 $((STARTUP_TIMEOUT * 5))); do
        if grep -qE 'Apache Camel .*\(logferry\) started' "$OUT"; then started=1; break; fi
        kill -0 "$LF_PID" 2>/dev/null || { tail -n 30 "$OUT" >&2; die "logferry exited during start-up (log: $OUT)"; }
        sleep 0.2
    done
    [[ $started -eq 1 ]] || { tail -n 30 "$OUT" >&2; die "logferry did not start within ${STARTUP_TIMEOUT}s"; }

    if [[ $QUIET_WAIT -gt 0 ]]; then
        local quiet=0 m1 m2 c1 c2 _s
        for _ in $(seq 1 "$QUIET_WAIT"); do
            read -r m1 _s <<<"$(machine_ticks)"; c1=$(( $(cpu_ticks "$LF_PID") + $(cpu_ticks "$SRV_PID") ))
            sleep 1
            read -r m2 _s <<<"$(machine_ticks)"; c2=$(( $(cpu_ticks "$LF_PID") + $(cpu_ticks "$SRV_PID") ))
            if (( (m2 - m1) - (c2 - c1) < CLK_TCK * 15 / 100 )); then quiet=1; break; fi
        done
        [[ $quiet -eq 1 ]] && echo "quiet:       other processes use under 0.15 cores" \
            || echo "warning:     the machine did not get quiet within ${QUIET_WAIT}s; measuring anyway" >&2
    fi

    # --- timed part ----------------------------------------------------------------------------------------
    task_snapshot "$LF_PID" >"$RUN/tasks-start.txt"
    task_snapshot "$SRV_PID" >"$RUN/server-tasks-start.txt"
    SAMPLER_PID=""; PERF_PID=""
    if [[ $PROFILE -eq 1 ]]; then
        python3 "$BENCH_DIR/thread-states.py" "$LF_PID" "$RUN/states.stop" "$RUN/states.txt" &
        SAMPLER_PID=$!
        if command -v perf >/dev/null; then
            perf record -q -F 199 -p "$LF_PID" -o "$RUN/perf.data" >"$RUN/perf.out" 2>&1 &
            PERF_PID=$!
        fi
    fi
    local load_start srv_rchar_start lf_start srv_start machine_start steal_start t_start
    load_start="$(loadavg)"
    srv_rchar_start="$(io_counter "$SRV_PID" rchar)"
    lf_start="$(cpu_ticks "$LF_PID")"
    srv_start="$(cpu_ticks "$SRV_PID")"
    read -r machine_start steal_start <<<"$(machine_ticks)"
    t_start="$(now)"
    mv "$WORK/staging/app.log" "$RUN/logs/app.log"
    echo "moved:       staging/app.log -> logs/app.log, clock started (load average $load_start)"

    local start_us deadline_us last_report_us now_at t_now elapsed
    start_us="$(now_us)"
    deadline_us=$(( start_us + TIMEOUT * 1000000 ))
    last_report_us="$start_us"
    S_DISTINCT=0
    exec {PROGRESS}>"$RUN/progress.tsv"   # every poll: seconds since the rename, events, distinct, requests
    while :; do
        sleep "$POLL"
        kill -0 "$LF_PID" 2>/dev/null || { tail -n 30 "$OUT" >&2; die "logferry exited during the run (log: $OUT)"; }
        server_stats || { cat "$RUN/server.err" >&2; die "the fake HEC server does not answer (got '$stats_line')"; }
        t_now="$(now)"
        printf '%s\t%s\t%s\t%s\n' "$(( $(now_us) - start_us ))" "$S_EVENTS" "$S_DISTINCT" "$S_REQUESTS" >&"$PROGRESS"
        [[ "$S_DISTINCT" -ge "$LINES" ]] && break
        now_at="$(now_us)"
        if (( now_at > deadline_us )); then
            tail -n 30 "$OUT" >&2
            die "only $S_DISTINCT of $LINES lines reached the server after ${TIMEOUT}s (log: $OUT, work dir kept)"
        fi
        if (( now_at - last_report_us >= 5000000 )); then
            elapsed=$(( (now_at - start_us) / 100000 ))
            printf 'progress:    %s distinct events after %d.%d s\n' "$S_DISTINCT" $(( elapsed / 10 )) $(( elapsed % 10 ))
            last_report_us="$now_at"
        fi
    done
    local t_end="$t_now"
    exec {PROGRESS}>&-
    local lf_end srv_end machine_end steal_end srv_rchar_end load_end
    lf_end="$(cpu_ticks "$LF_PID")"
    srv_end="$(cpu_ticks "$SRV_PID")"
    read -r machine_end steal_end <<<"$(machine_ticks)"
    srv_rchar_end="$(io_counter "$SRV_PID" rchar)"
    load_end="$(loadavg)"
    echo "$t_start $t_end" >"$RUN/window.txt"   # the timed window, Unix seconds (for jfr-top.py --from/--to)
    task_snapshot "$LF_PID" >"$RUN/tasks-end.txt"
    task_snapshot "$SRV_PID" >"$RUN/server-tasks-end.txt"
    if [[ $PROFILE -eq 1 ]]; then
        touch "$RUN/states.stop"
        wait "$SAMPLER_PID" || echo "warning: the thread-state sampler failed" >&2
        if [[ -n "$PERF_PID" ]]; then
            kill -INT "$PERF_PID" 2>/dev/null || true
            wait "$PERF_PID" || true
        fi
        SAMPLER_PID=""; PERF_PID=""
    fi
    local lf_hwm lf_rss srv_hwm
    lf_hwm="$(status_kb "$LF_PID" VmHWM)"
    lf_rss="$(status_kb "$LF_PID" VmRSS)"
    srv_hwm="$(status_kb "$SRV_PID" VmHWM)"

    # After the window: when did logferry commit the file's last offset (with ack on: when the last ack came)?
    local confirmed="n/a" committed=0 _i
    for _i in $(seq 1 300); do
        committed="$(sqlite3 -cmd ".timeout 2000" data/offsets.db \
            "SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM lf_offsets_files" 2>/dev/null)" || committed=0
        if [[ "${committed:-0}" -ge "$BYTES" ]]; then confirmed="$(calc "$(now) - $t_start")"; break; fi
        sleep 0.1
    done

    # --- stop logferry, then the server ----------------------------------------------------------------------
    kill -TERM "$LF_PID"
    local stop_start rc=0 stop_s
    stop_start="$(now)"
    for _ in $(seq 1 600); do kill -0 "$LF_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$LF_PID" 2>/dev/null; then
        kill -KILL "$LF_PID" 2>/dev/null || true
        die "logferry did not exit within 60 s of SIGTERM (log: $OUT)"
    fi
    wait "$LF_PID" || rc=$?
    LF_PID=""
    stop_s="$(calc "$(now) - $stop_start")"
    [[ $rc -eq 0 || $rc -eq 143 ]] || echo "warning:     logferry exited with status $rc (log: $OUT)" >&2

    # final counts, after logferry is gone (a late resend would show up here)
    server_stats || die "the fake HEC server does not answer after the run"
    exec {TO_SRV}>&-        # end of stdin: the server stops
    local srv_rc=0
    for _ in $(seq 1 100); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SRV_PID" 2>/dev/null && kill -TERM "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" || srv_rc=$?
    exec {FROM_SRV}<&-
    SRV_PID=""
    [[ $srv_rc -eq 0 ]] || echo "warning:     the fake HEC server exited with status $srv_rc" >&2
    mv "$RUN/logs/app.log" "$WORK/staging/app.log"   # the next run ships the same bytes

    # --- verify and report ------------------------------------------------------------------------------------
    local verdict=PASS
    local -a checks=()
    if [[ "$S_DISTINCT" -eq "$LINES" ]]; then checks+=("ok    distinct seq at the server = $LINES")
    else checks+=("FAIL  distinct seq at the server = $LINES (got $S_DISTINCT)"); verdict=FAIL; fi
    local unparsed=$(( S_EVENTS - S_DISTINCT - S_DUPS ))
    if [[ "$S_DUPS" -eq 0 ]]; then checks+=("ok    duplicates: 0 (events indexed = $S_EVENTS)")
    else checks+=("WARN  duplicates: $S_DUPS (events indexed = $S_EVENTS; at-least-once allows them, a clean run has none)"); fi
    [[ $unparsed -eq 0 ]] || checks+=("WARN  $unparsed events without a seq=N the server could read")
    [[ "$committed" -ge "$BYTES" ]] && checks+=("ok    offset committed = file size ($BYTES)") \
        || checks+=("WARN  committed offset $committed of $BYTES bytes within 30 s after the window")

    local WALL EPS MIBPS LF_CPU SRV_CPU OTHER STEAL LF_HWM SRV_HWM WIRE
    WALL="$(calc "$t_end - $t_start")"
    EPS="$(calc "$LINES / $WALL")"
    MIBPS="$(calc "$BYTES / 1048576 / $WALL")"
    LF_CPU="$(calc "($lf_end - $lf_start) / $CLK_TCK")"
    SRV_CPU="$(calc "($srv_end - $srv_start) / $CLK_TCK")"
    OTHER="$(calc "max(0.0, ($machine_end - $machine_start) - ($lf_end - $lf_start) - ($srv_end - $srv_start)) / $CLK_TCK / $WALL")"
    STEAL="$(calc "($steal_end - $steal_start) / $CLK_TCK / $WALL")"
    LF_HWM="$(calc "$lf_hwm / 1024")"
    SRV_HWM="$(calc "$srv_hwm / 1024")"
    WIRE="$(calc "($srv_rchar_end - $srv_rchar_start) / 1048576")"
    local LF_GC SRV_GC LF_GC_MS=0
    LF_GC="$(gc_summary "$RUN/gc.log" "$t_start" "$t_end")"
    SRV_GC="$(gc_summary "$RUN/server-gc.log" "$t_start" "$t_end")"
    [[ "$LF_GC" =~ ,\ ([0-9]+)\ ms\ in\ all ]] && LF_GC_MS="${BASH_REMATCH[1]}"
    # From the progress log: the first poll that saw events, and the rate from that poll to the end (without
    # file discovery and the first, still interpreted, batch).
    local FIRST_S EPS_AFTER
    read -r FIRST_S EPS_AFTER <<<"$(python3 - "$RUN/progress.tsv" "$LINES" <<'PY'
import sys
rows = [tuple(int(x) for x in line.split()) for line in open(sys.argv[1]) if line.strip()]
first = next((r for r in rows if r[2] > 0), rows[-1])
last = rows[-1]
span = (last[0] - first[0]) / 1e6
print("%.2f %.0f" % (first[0] / 1e6, (last[2] - first[2]) / span if span > 0 else 0))
PY
)"
    local profiled=no
    [[ $PROFILE -eq 1 ]] && profiled=yes

    echo
    echo "== logferry HEC benchmark: run $idx, ack $ack =="
    printf '%-22s %s\n' "lines" "$LINES ($BYTES bytes, $(fmt "$(calc "$BYTES / 1048576")" 1) MiB)" \
        "pipeline" "tail-to-hec, endpoint event, parameters: $PARAMS_TEXT, ack=$ack_bool" \
        "wall" "$(fmt "$WALL") s (rename to the stats poll that saw all $LINES seqs; polled every $POLL s)" \
        "throughput" "$(fmt "$EPS" 0) events/s, $(fmt "$MIBPS" 1) MiB/s of log lines" \
        "after first events" "first events seen at $FIRST_S s; $EPS_AFTER events/s from that poll to the end" \
        "HTTP to the server" "$(fmt "$WIRE" 1) MiB received by the server (rchar), $S_REQUESTS data requests ($(fmt "$(calc "$S_EVENTS / max(1, $S_REQUESTS)")" 0) events each)" \
        "logferry CPU" "$(fmt "$LF_CPU") s ($(fmt "$(calc "$LF_CPU * 1000000 / $LINES")") CPU-s per million events, $(fmt "$(calc "$LF_CPU / $WALL")") cores busy)" \
        "server CPU" "$(fmt "$SRV_CPU") s ($(fmt "$(calc "$SRV_CPU / $WALL")") cores busy)" \
        "logferry peak RSS" "$(fmt "$LF_HWM" 1) MiB (VmHWM; RSS at end $(fmt "$(calc "$lf_rss / 1024")" 1) MiB)" \
        "server peak RSS" "$(fmt "$SRV_HWM" 1) MiB" \
        "offsets committed" "$( [[ "$confirmed" == n/a ]] && echo "not within 30 s" || echo "$(fmt "$confirmed") s after the rename")" \
        "shutdown" "$(fmt "$stop_s" 1) s after SIGTERM, exit status $rc" \
        "other load" "$(fmt "$OTHER") cores busy with other processes during the run (steal $(fmt "$STEAL"))" \
        "load average" "$LOAD_BEFORE before the run, $load_start at the rename, $load_end at the end (1/5/15 min; includes both JVMs)" \
        "GC in the run" "logferry: $LF_GC; server: $SRV_GC" \
        "JVM" "java $JAVA_VERSION, logferry $JAVA_OPTS, $(nproc) cores" \
        "jar" "sha256 $JAR_ID"
    LAST_BUSY=no
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$OTHER" "$BUSY_CORES"; then
        echo "warning:               other processes kept $(fmt "$OTHER") cores busy: the figures are not from a quiet machine"
        LAST_BUSY=yes
    fi
    echo "logferry CPU per thread:"
    thread_cpu "$RUN/tasks-start.txt" "$RUN/tasks-end.txt" 8
    echo "server CPU per thread:"
    thread_cpu "$RUN/server-tasks-start.txt" "$RUN/server-tasks-end.txt" 5
    echo "verification:"
    local c
    for c in "${checks[@]}"; do echo "  $c"; done
    echo "verdict                $verdict"
    [[ "$verdict" == PASS ]] || FAILED=1

    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ack" "$WALL" "$EPS" "$MIBPS" \
        "$LF_CPU" "$SRV_CPU" "$LF_HWM" "$SRV_HWM" "$S_DUPS" "$S_EVENTS" "$S_DISTINCT" "$S_REQUESTS" "$OTHER" \
        "${load_start%% *}" "$confirmed" "$WIRE" "$verdict" "$profiled" "$LAST_BUSY" "$(calc "$LF_GC_MS / 1000")" "$FIRST_S" "$EPS_AFTER" >>"$RESULTS"

    if [[ $PROFILE -eq 1 ]]; then
        echo
        if [[ -s "$JFR_FILE" ]]; then
            python3 "$BENCH_DIR/jfr-top.py" "$JFR_FILE" --from "$t_start" --to "$t_end" --top 15 \
                --tasks-start "$RUN/tasks-start.txt" --tasks-end "$RUN/tasks-end.txt" --clk-tck "$CLK_TCK" \
                --states "$RUN/states.txt" --states-top 8 --waits-top 10 --perf "$RUN/perf.data" \
                | tee "$RUN/profile.txt" || echo "warning: could not summarise $JFR_FILE" >&2
        else
            echo "warning: no flight recording at $JFR_FILE" >&2
        fi
    fi
    cd "$BENCH_DIR"
}

idx=0
for r in $(seq 1 "$RUNS"); do
    for mode in "${MODES[@]}"; do
        for attempt in $(seq 0 "$RETRY_BUSY"); do
            idx=$((idx + 1))
            run_one "$mode" "$idx"
            [[ "$LAST_BUSY" == yes && $attempt -lt $RETRY_BUSY ]] || break
            echo "busy:        other processes used over $BUSY_CORES cores during run $idx: running it again"
        done
    done
done

# --- summary ---------------------------------------------------------------------------------------------
echo
echo "== summary: $LINES lines, parameters: $PARAMS_TEXT, logferry $JAVA_OPTS, server $SERVER_OPTS =="
python3 - "$RESULTS" "$(date +%Y-%m-%d)" "$PARAMS_TEXT" "$JAVA_OPTS" "${JAR_ID%%,*}" "$BUSY_CORES" <<'PY'
import csv, statistics, sys
path, date, params, jopts, jar, busy_cores = sys.argv[1:7]
rows = list(csv.DictReader(open(path), delimiter="\t"))
def f(r, k): return float(r[k])
cols = [("events/s", "eps", 0), ("MiB/s", "mibps", 1), ("first events s", "first_s", 2),
        ("events/s after", "eps_after", 0), ("logferry CPU-s", "lf_cpu", 2), ("server CPU-s", "srv_cpu", 2),
        ("logferry GC pause s", "lf_gc_s", 2), ("logferry RSS MiB", "lf_hwm_mib", 0), ("duplicates", "dups", 0), ("other load", "other", 2),
        ("load avg (1 min)", "load1", 2)]
def summary(title, rs):
    """Median and range of each figure; returns the median events/s per ack mode."""
    print(title)
    eps = {}
    for ack in ("off", "on"):
        sel = [r for r in rs if r["ack"] == ack]
        if not sel:
            continue
        print("  ack %-3s (%d run%s: %s%s):" % (ack, len(sel), "" if len(sel) == 1 else "s",
              ", ".join(r["verdict"] for r in sel), "; profiled" if any(r["profiled"] == "yes" for r in sel) else ""))
        for label, key, d in cols:
            v = [f(r, key) for r in sel]
            m = statistics.median(v)
            if key == "eps":
                eps[ack] = m
            print("    %-18s median %s  (range %s .. %s)" % (label, "%.*f" % (d, m), "%.*f" % (d, min(v)), "%.*f" % (d, max(v))))
        conf = [float(r["confirmed"]) for r in sel if r["confirmed"] != "n/a"]
        if conf:
            print("    %-18s median %.2f s after the rename (wall median %.2f s)" % (
                "offsets committed", statistics.median(conf), statistics.median(f(r, "wall") for r in sel)))
    if "off" in eps and "on" in eps:
        print("  ratio ack on / ack off (medians of events/s): %.2f (aim: at least 0.80)" % (eps["on"] / eps["off"]))
summary("all runs:", rows)
quiet = [r for r in rows if r["busy"] == "no"]
if len(quiet) < len(rows):
    print()
    if quiet:
        summary("quiet runs only (other processes used at most %s cores during the run):" % busy_cores, quiet)
    else:
        print("no quiet run: every run had other processes using over %s cores" % busy_cores)
print("\nREADME rows:")
for r in rows:
    notes = [n for n, on in (("busy", r["busy"] == "yes"), ("profiled", r["profiled"] == "yes")) if on]
    print("| %s | %s | %s | `%s` | %.2f s | %.0f | %.1f | %.1f s | %.1f s | %.0f MiB | %s | %.2f | %s | %s | %s%s |" % (
        date, r["ack"], params, jopts, f(r, "wall"), f(r, "eps"), f(r, "mibps"), f(r, "lf_cpu"), f(r, "srv_cpu"),
        f(r, "lf_hwm_mib"), r["dups"], f(r, "other"), r["load1"], jar, r["verdict"],
        " (%s)" % ", ".join(notes) if notes else ""))
PY

cd "$BENCH_DIR"
if [[ $FAILED -eq 0 && $KEEP -eq 0 ]]; then
    rm -rf "$WORK"
else
    echo
    echo "work dir kept: $WORK"
fi
[[ $FAILED -eq 0 ]] || die "verification failed"
