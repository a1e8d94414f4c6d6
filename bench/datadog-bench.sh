#!/usr/bin/env bash
# Datadog benchmark for logferry: how fast does one big log file reach the Datadog Logs intake (API v2)?
#
#   bench/datadog-bench.sh [--lines N] [--runs K] [--gzip true|false] [--concurrency N] [--max-entries N]
#                          [--param NAME=VALUE]... [--java-opts "..."] [--server-opts "..."] [--jar PATH]
#                          [--server-cp CP] [--poll SECONDS] [--timeout SECONDS] [--quiet-wait SECONDS] [--keep]
#
# Generates N RFC 5424 lines once (not timed). Each run starts the fake Datadog intake (test code, its own JVM)
# and logferry (route template tail-to-datadog) on an empty logs/ directory, renames the file into logs/app.log
# and times until the intake holds N distinct messages. Then stops both and checks the intake's counts.
# See bench/README.md ("Datadog benchmark") for what each printed figure means.
#
# Modelled on bench/hec-bench.sh. That script runs as soon as it is read (no functions-only part to source),
# so the helpers below (clock, /proc readers, GC and per-thread summaries, jar copy) are copies of its own.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

LINES=1000000
RUNS=1
GZIP=true
JAR="target/logferry.jar"
JAVA_OPTS=""
JAVA_OPTS_SET=0
SERVER_OPTS="-Xmx512m -XX:+UseParallelGC"
SERVER_CP=""
POLL=0.25
TIMEOUT=600
STARTUP_TIMEOUT=120
KEEP=0
QUIET_WAIT=0
BUSY_CORES=0.25    # a run during which other processes used more than this is "busy"
PARAMS=()          # NAME=VALUE template parameters on top of the defaults
API_KEY="0123456789abcdef0123456789abcdef"   # FakeDatadogServer.DEFAULT_API_KEY; passed to the server anyway
SERVER_MAIN="io.logferry.testsupport.datadog.FakeDatadogServerMain"

usage() {
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --lines N             lines to ship (default 1000000, about 280 bytes each)
  --runs K              runs (default 1); the summary gives medians and ranges
  --gzip true|false     template parameter gzip (default true, as the template)
  --concurrency N       template parameter concurrency (requests in flight; template default 4)
  --max-entries N       template parameter maxEntries (logs per request; template default 1000)
  --param NAME=VALUE    any other tail-to-datadog parameter, e.g. batchLines=2000 (repeatable)
  --java-opts "..."     JVM options for logferry (default: the options in config/jvm.options)
  --server-opts "..."   JVM options for the fake intake (default -Xmx512m -XX:+UseParallelGC)
  --jar PATH            logferry jar; relative paths are relative to the repository root (default target/logferry.jar)
  --server-cp CP        class path of the fake intake (default: target/test-classes and the test
                        dependencies from mvn -o dependency:build-classpath)
  --poll SECONDS        interval between the intake's stats polls (default 0.25)
  --timeout SECONDS     give up when not every line arrived after this long (default 600)
  --quiet-wait SECONDS  before starting the clock, wait up to this long for a second in which other
                        processes use under 0.15 cores (default 0: do not wait)
  --keep                keep the work directory (bench/work/datadog-<timestamp>) after a successful run
EOF
}

die() {
    echo "datadog-bench: FAIL: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --lines) LINES="${2:?--lines needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --gzip) GZIP="${2:?--gzip needs a value}"; shift 2 ;;
        --concurrency) PARAMS+=("concurrency=${2:?--concurrency needs a value}"); shift 2 ;;
        --max-entries) PARAMS+=("maxEntries=${2:?--max-entries needs a value}"); shift 2 ;;
        --param) PARAMS+=("${2:?--param needs NAME=VALUE}"); shift 2 ;;
        --java-opts) JAVA_OPTS="${2?--java-opts needs a value}"; JAVA_OPTS_SET=1; shift 2 ;;
        --server-opts) SERVER_OPTS="${2?--server-opts needs a value}"; shift 2 ;;
        --jar) JAR="${2:?--jar needs a value}"; shift 2 ;;
        --server-cp) SERVER_CP="${2:?--server-cp needs a value}"; shift 2 ;;
        --poll) POLL="${2:?--poll needs a value}"; shift 2 ;;
        --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
        --quiet-wait) QUIET_WAIT="${2:?--quiet-wait needs a value}"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
[[ "$LINES" =~ ^[1-9][0-9]*$ ]] || die "--lines must be a positive integer, was '$LINES'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, was '$RUNS'"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, was '$TIMEOUT'"
[[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--quiet-wait must be a whole number of seconds, was '$QUIET_WAIT'"
[[ "$GZIP" == true || "$GZIP" == false ]] || die "--gzip must be true or false, was '$GZIP'"
for p in "${PARAMS[@]}"; do
    [[ "$p" =~ ^[A-Za-z][A-Za-z0-9]*=.*$ ]] || die "template parameters are NAME=VALUE, was '$p'"
    case "${p%%=*}" in
        paths|url|apiKey) die "--param ${p%%=*} is set by the harness" ;;
        gzip) die "use --gzip true|false, not --param gzip=..." ;;
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


CLK_TCK="$(getconf CLK_TCK)"
trap '' PIPE   # a dead server must not kill the script through SIGPIPE; writes to it fail instead

# --- work directory --------------------------------------------------------------------------------------
new_work_dir "datadog-"
echo "work dir:    $WORK"
copy_stable_jar
echo "jar:         $JAR (sha256 $JAR_ID)"
grep -q 'routes/tail-to-datadog.camel.yaml' "$WORK/jar-listing.txt" \
    || die "$JAR has no routes/tail-to-datadog.camel.yaml (an older build?)"

# The fake intake runs from a private copy of the test classes (same reason) and the test class path. A build
# running at the same time rewrites target/test-classes file by file, and a copy taken then can miss classes
# (the intake then fails requests with NoClassDefFoundError): copy only a tree that stayed the same for 2 s
# before and during the copy.
tree_state() { (cd "$1" && find . -type f -printf '%P %s %T@\n' | sort | sha256sum); }
if [[ -z "$SERVER_CP" ]]; then
    waited=0
    while :; do
        [[ -f "$REPO_ROOT/target/test-classes/${SERVER_MAIN//.//}.class" ]] || {
            [[ $waited -lt 300 ]] || die "target/test-classes has no $SERVER_MAIN: build with mvn -o -q -DskipTests package"
            sleep 2; waited=$((waited + 2)); continue; }
        state1="$(tree_state "$REPO_ROOT/target/test-classes")"; sleep 2
        state2="$(tree_state "$REPO_ROOT/target/test-classes")"
        if [[ "$state1" == "$state2" ]]; then
            rm -rf "$WORK/server-classes"
            cp -r "$REPO_ROOT/target/test-classes" "$WORK/server-classes"
            [[ "$(tree_state "$REPO_ROOT/target/test-classes")" == "$state2" ]] && break
        fi
        waited=$((waited + 2))
        [[ $waited -lt 300 ]] || die "target/test-classes keeps changing (waited ${waited}s)"
    done
    (cd "$REPO_ROOT" && mvn -o -q dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$WORK/server-deps.txt" >"$WORK/mvn-classpath.out" 2>&1) \
        || { cat "$WORK/mvn-classpath.out" >&2; die "mvn -o dependency:build-classpath failed"; }
    SERVER_CP="$WORK/server-classes:$(cat "$WORK/server-deps.txt")"
fi
echo "$SERVER_CP" >"$WORK/server.cp"

# --- test data (not timed) ---------------------------------------------------------------------------------
# The intake counts distinct logs by their "message", which logferry sets to an RFC 5424 line's MSG. Every
# gen-lines.py MSG ends with " seq=N" (N = 0 .. lines-1), so the N messages are distinct by construction and
# "distinct = N" means every line arrived; a repeated message can only be a line sent twice.
echo "generating:  $LINES lines ..."
gen_start="$(now)"
python3 "$BENCH_DIR/gen-lines.py" --lines "$LINES" --out "$WORK/staging/app.log"
BYTES="$(stat -c %s "$WORK/staging/app.log")"
# Write the file back to disk now, so the kernel's writeback of it does not land in a timed window.
sync
echo "generated:   $BYTES bytes in $(fmt "$(calc "$(now) - $gen_start")" 1) s; each run renames this file into its logs/"

JAVA_VERSION="$(java -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')"
PARAMS_TEXT="gzip=$GZIP${PARAMS[*]:+ ${PARAMS[*]}}"

# --- processes of the current run, stopped on any exit ------------------------------------------------------
LF_PID=""
SRV_PID=""
TO_SRV=""
FROM_SRV=""
cleanup() {
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
# Asks the intake for its counts; sets S_LOGS S_DISTINCT S_DUPS S_REQUESTS S_RESPONSES. Fails if it does not answer.
server_stats() {
    kill -0 "$SRV_PID" 2>/dev/null || return 1
    echo stats >&"$TO_SRV" || return 1
    read -r -t 10 -u "$FROM_SRV" stats_line || return 1
    [[ "$stats_line" =~ ^logs=([0-9]+)\ distinct=([0-9]+)\ duplicates=([0-9]+)\ requests=([0-9]+)\ responses=(.*)$ ]] \
        || return 1
    S_LOGS="${BASH_REMATCH[1]}"; S_DISTINCT="${BASH_REMATCH[2]}"
    S_DUPS="${BASH_REMATCH[3]}"; S_REQUESTS="${BASH_REMATCH[4]}"; S_RESPONSES="${BASH_REMATCH[5]}"
}

RESULTS="$WORK/results.tsv"
printf 'run\twall\tlps\tmibps\tlf_cpu\tsrv_cpu\tlf_hwm_mib\tsrv_hwm_mib\tdups\tlogs\tdistinct\trequests\tother\tload1\tconfirmed\twire_mib\tverdict\tbusy\tlf_gc_s\tfirst_s\tlps_after\tstartup_s\tlog_problems\n' >"$RESULTS"
FAILED=0

# --- one run ---------------------------------------------------------------------------------------------
run_one() { # index
    local idx="$1"
    local RUN="$WORK/run-$idx"
    mkdir -p "$RUN/logs" "$RUN/data"
    cp -r "$REPO_ROOT/config" "$RUN/config"
    echo
    echo "=== run $idx: parameters: $PARAMS_TEXT ==="
    local LOAD_BEFORE
    LOAD_BEFORE="$(loadavg)"

    # The intake: stdin and stdout through FIFOs, so this shell asks for stats without forking.
    mkfifo "$RUN/srv.in" "$RUN/srv.out"
    # shellcheck disable=SC2086 # SERVER_OPTS is a list of words
    java $SERVER_OPTS "-Xlog:gc:file=$RUN/server-gc.log:utctime" -cp "$SERVER_CP" "$SERVER_MAIN" \
        --port=0 "--api-key=$API_KEY" --retain-logs=false \
        <"$RUN/srv.in" >"$RUN/srv.out" 2>"$RUN/server.err" &
    SRV_PID=$!
    exec {TO_SRV}>"$RUN/srv.in"
    exec {FROM_SRV}<"$RUN/srv.out"
    local line port
    read -r -t 60 -u "$FROM_SRV" line || { cat "$RUN/server.err" >&2; die "the fake Datadog intake did not start"; }
    [[ "$line" =~ ^listening\ ([0-9]+)$ ]] || die "unexpected first line from the fake Datadog intake: $line"
    port="${BASH_REMATCH[1]}"
    echo "server:      pid $SRV_PID, http://127.0.0.1:$port, java $SERVER_OPTS"

    # logferry's pipeline: the shipped template with the defaults, except url, apiKey, gzip and --param/options.
    printf '\n# written by bench/datadog-bench.sh\ndatadog.apiKey = %s\n' "$API_KEY" >>"$RUN/config/application.properties"
    {
        echo "# Written by bench/datadog-bench.sh: logs/*.log to the fake Datadog intake, template defaults except these."
        echo "- templatedRoute:"
        echo "    routeTemplateRef: tail-to-datadog"
        echo "    routeId: tail-to-datadog"
        echo "    parameters:"
        local p
        for p in "paths=logs/*.log" "url=http://127.0.0.1:$port" "apiKey={{datadog.apiKey}}" "gzip=$GZIP" "${PARAMS[@]}"; do
            printf '      - name: %s\n        value: "%s"\n' "${p%%=*}" "${p#*=}"
        done
    } >"$RUN/config/routes/default.camel.yaml"

    local -a lf_opts=("-Xlog:gc:file=$RUN/gc.log:utctime")
    local OUT="$RUN/logferry.out"
    cd "$RUN"
    local spawn_at
    spawn_at="$(now)"
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
    local STARTUP_S
    STARTUP_S="$(calc "$(now) - $spawn_at")"
    echo "started:     $(fmt "$STARTUP_S" 1) s after the spawn (to within the 0.2 s poll)"

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
    local load_start srv_rchar_start lf_start srv_start machine_start steal_start t_start
    load_start="$(loadavg)"
    srv_rchar_start="$(io_counter "$SRV_PID" rchar)"
    lf_start="$(cpu_ticks "$LF_PID")"
    srv_start="$(cpu_ticks "$SRV_PID")"
    read -r machine_start steal_start <<<"$(machine_ticks)"
    t_start="$(now)"
    mv "$WORK/staging/app.log" "$RUN/logs/app.log"
    echo "moved:       staging/app.log -> logs/app.log, clock started (load average $load_start)"

    local start_us deadline_us last_report_us now_at t_now elapsed PROGRESS
    start_us="$(now_us)"
    deadline_us=$(( start_us + TIMEOUT * 1000000 ))
    last_report_us="$start_us"
    S_DISTINCT=0
    exec {PROGRESS}>"$RUN/progress.tsv"   # every poll: microseconds since the rename, logs, distinct, requests
    while :; do
        sleep "$POLL"
        kill -0 "$LF_PID" 2>/dev/null || { tail -n 30 "$OUT" >&2; die "logferry exited during the run (log: $OUT)"; }
        server_stats || { cat "$RUN/server.err" >&2; die "the fake Datadog intake does not answer (got '$stats_line')"; }
        # an uncaught exception in the intake (it then drops requests unanswered) ends the run at once
        if [[ -s "$RUN/server.err" ]] && grep -q 'Exception in thread' "$RUN/server.err"; then
            head -n 20 "$RUN/server.err" >&2
            die "the fake Datadog intake failed (log: $RUN/server.err)"
        fi
        t_now="$(now)"
        printf '%s\t%s\t%s\t%s\n' "$(( $(now_us) - start_us ))" "$S_LOGS" "$S_DISTINCT" "$S_REQUESTS" >&"$PROGRESS"
        [[ "$S_DISTINCT" -ge "$LINES" ]] && break
        now_at="$(now_us)"
        if (( now_at > deadline_us )); then
            tail -n 30 "$OUT" >&2
            die "only $S_DISTINCT of $LINES lines reached the intake after ${TIMEOUT}s (log: $OUT, work dir kept)"
        fi
        if (( now_at - last_report_us >= 5000000 )); then
            elapsed=$(( (now_at - start_us) / 100000 ))
            printf 'progress:    %s distinct messages after %d.%d s\n' "$S_DISTINCT" $(( elapsed / 10 )) $(( elapsed % 10 ))
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
    echo "$t_start $t_end" >"$RUN/window.txt"   # the timed window, Unix seconds
    task_snapshot "$LF_PID" >"$RUN/tasks-end.txt"
    task_snapshot "$SRV_PID" >"$RUN/server-tasks-end.txt"
    local lf_hwm lf_rss srv_hwm
    lf_hwm="$(status_kb "$LF_PID" VmHWM)"
    lf_rss="$(status_kb "$LF_PID" VmRSS)"
    srv_hwm="$(status_kb "$SRV_PID" VmHWM)"

    # After the window: when did logferry commit the file's last offset?
    local confirmed="n/a" committed=0 _i
    for _i in $(seq 1 300); do
        committed="$(sqlite3 -cmd ".timeout 2000" data/offsets.db \
            "SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM lf_offsets_files" 2>/dev/null)" || committed=0
        if [[ "${committed:-0}" -ge "$BYTES" ]]; then confirmed="$(calc "$(now) - $t_start")"; break; fi
        sleep 0.1
    done

    # --- stop logferry, then the intake ----------------------------------------------------------------------
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
    server_stats || die "the fake Datadog intake does not answer after the run"
    exec {TO_SRV}>&-        # end of stdin: the intake stops
    local srv_rc=0
    for _ in $(seq 1 100); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SRV_PID" 2>/dev/null && kill -TERM "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" || srv_rc=$?
    exec {FROM_SRV}<&-
    SRV_PID=""
    [[ $srv_rc -eq 0 ]] || echo "warning:     the fake Datadog intake exited with status $srv_rc" >&2
    mv "$RUN/logs/app.log" "$WORK/staging/app.log"   # the next run ships the same bytes

    # --- verify and report ------------------------------------------------------------------------------------
    local verdict=PASS
    local -a checks=()
    if [[ "$S_LOGS" -eq "$LINES" ]]; then checks+=("ok    logs received = $LINES")
    else checks+=("FAIL  logs received = $LINES (got $S_LOGS)"); verdict=FAIL; fi
    if [[ "$S_DISTINCT" -eq "$LINES" ]]; then checks+=("ok    distinct messages = $LINES")
    else checks+=("FAIL  distinct messages = $LINES (got $S_DISTINCT)"); verdict=FAIL; fi
    if [[ "$S_DUPS" -eq 0 ]]; then checks+=("ok    duplicates: 0")
    else checks+=("FAIL  duplicates: $S_DUPS (at-least-once allows them after a failure; this run should have none)"); verdict=FAIL; fi
    [[ "$S_RESPONSES" =~ ^\{202=[0-9]+\}$ ]] && checks+=("ok    responses: $S_RESPONSES") \
        || checks+=("WARN  responses other than 202: $S_RESPONSES")
    [[ "$committed" -ge "$BYTES" ]] && checks+=("ok    offset committed = file size ($BYTES)") \
        || checks+=("WARN  committed offset $committed of $BYTES bytes within 30 s after the window")
    # WARN and ERROR lines of logferry's own log (start-up to exit)
    local LOG_PROBLEMS
    LOG_PROBLEMS="$(grep -cE '(^|[[:space:]])(WARN|ERROR)[[:space:]]' "$OUT" || true)"
    [[ "$LOG_PROBLEMS" -eq 0 ]] && checks+=("ok    no WARN or ERROR lines in logferry's log") \
        || checks+=("WARN  $LOG_PROBLEMS WARN/ERROR lines in logferry's log ($OUT), first: $(grep -m1 -E '(^|[[:space:]])(WARN|ERROR)[[:space:]]' "$OUT" | cut -c1-200)")

    [[ -s "$RUN/server.err" ]] && checks+=("WARN  the fake intake wrote to stderr ($RUN/server.err): $(head -n 1 "$RUN/server.err" | cut -c1-200)")

    local WALL LPS MIBPS LF_CPU SRV_CPU OTHER STEAL LF_HWM SRV_HWM WIRE
    WALL="$(calc "$t_end - $t_start")"
    LPS="$(calc "$LINES / $WALL")"
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
    # From the progress log: the first poll that saw logs, and the rate from that poll to the end (without
    # file discovery and the first, still interpreted, batch).
    local FIRST_S LPS_AFTER
    read -r FIRST_S LPS_AFTER <<<"$(python3 - "$RUN/progress.tsv" <<'PY'
import sys
rows = [tuple(int(x) for x in line.split()) for line in open(sys.argv[1]) if line.strip()]
first = next((r for r in rows if r[2] > 0), rows[-1])
last = rows[-1]
span = (last[0] - first[0]) / 1e6
print("%.2f %.0f" % (first[0] / 1e6, (last[2] - first[2]) / span if span > 0 else 0))
PY
)"

    echo
    echo "== logferry Datadog benchmark: run $idx =="
    printf '%-22s %s\n' "lines" "$LINES ($BYTES bytes, $(fmt "$(calc "$BYTES / 1048576")" 1) MiB)" \
        "pipeline" "tail-to-datadog, parameters: $PARAMS_TEXT" \
        "start-up" "$(fmt "$STARTUP_S" 1) s from the spawn to 'Apache Camel ... started' (not in the timed window)" \
        "wall" "$(fmt "$WALL") s (rename to the stats poll that saw all $LINES messages; polled every $POLL s)" \
        "throughput" "$(fmt "$LPS" 0) lines/s, $(fmt "$MIBPS" 1) MiB/s of log lines" \
        "after first logs" "first logs seen at $FIRST_S s; $LPS_AFTER lines/s from that poll to the end" \
        "HTTP to the intake" "$(fmt "$WIRE" 1) MiB received by the intake (rchar), $S_REQUESTS requests ($(fmt "$(calc "$S_LOGS / max(1, $S_REQUESTS)")" 0) logs each), responses $S_RESPONSES" \
        "logferry CPU" "$(fmt "$LF_CPU") s ($(fmt "$(calc "$LF_CPU * 1000000 / $LINES")") CPU-s per million lines, $(fmt "$(calc "$LF_CPU / $WALL")") cores busy)" \
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
    local busy=no
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$OTHER" "$BUSY_CORES"; then
        echo "warning:               other processes kept $(fmt "$OTHER") cores busy: the figures are not from a quiet machine"
        busy=yes
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

    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$idx" "$WALL" "$LPS" "$MIBPS" \
        "$LF_CPU" "$SRV_CPU" "$LF_HWM" "$SRV_HWM" "$S_DUPS" "$S_LOGS" "$S_DISTINCT" "$S_REQUESTS" "$OTHER" \
        "${load_start%% *}" "$confirmed" "$WIRE" "$verdict" "$busy" "$(calc "$LF_GC_MS / 1000")" "$FIRST_S" "$LPS_AFTER" \
        "$STARTUP_S" "$LOG_PROBLEMS" >>"$RESULTS"
    cd "$BENCH_DIR"
}

for r in $(seq 1 "$RUNS"); do
    run_one "$r"
done

# --- summary ---------------------------------------------------------------------------------------------
echo
echo "== summary: $LINES lines, parameters: $PARAMS_TEXT, logferry $JAVA_OPTS, server $SERVER_OPTS =="
python3 - "$RESULTS" "$(date +%Y-%m-%d)" "$PARAMS_TEXT" "$JAVA_OPTS" "${JAR_ID%%,*}" "$BUSY_CORES" <<'PY'
import csv, statistics, sys
path, date, params, jopts, jar, busy_cores = sys.argv[1:7]
rows = list(csv.DictReader(open(path), delimiter="\t"))
def f(r, k): return float(r[k])
cols = [("lines/s", "lps", 0), ("MiB/s", "mibps", 1), ("first logs s", "first_s", 2),
        ("lines/s after", "lps_after", 0), ("logferry CPU-s", "lf_cpu", 2), ("server CPU-s", "srv_cpu", 2),
        ("logferry GC pause s", "lf_gc_s", 2), ("logferry RSS MiB", "lf_hwm_mib", 0), ("wire MiB", "wire_mib", 1),
        ("requests", "requests", 0), ("duplicates", "dups", 0), ("start-up s", "startup_s", 1),
        ("WARN/ERROR lines", "log_problems", 0), ("other load", "other", 2), ("load avg (1 min)", "load1", 2)]
def summary(title, sel):
    print(title)
    print("  %d run%s: %s" % (len(sel), "" if len(sel) == 1 else "s", ", ".join(r["verdict"] for r in sel)))
    for label, key, d in cols:
        v = [f(r, key) for r in sel]
        print("    %-20s median %s  (range %s .. %s)" % (label, "%.*f" % (d, statistics.median(v)),
                                                     "%.*f" % (d, min(v)), "%.*f" % (d, max(v))))
    conf = [float(r["confirmed"]) for r in sel if r["confirmed"] != "n/a"]
    if conf:
        print("    %-20s median %.2f s after the rename (wall median %.2f s)" % (
            "offsets committed", statistics.median(conf), statistics.median(f(r, "wall") for r in sel)))
summary("all runs:", rows)
quiet = [r for r in rows if r["busy"] == "no"]
if len(quiet) < len(rows):
    print()
    if quiet:
        summary("quiet runs only (other processes used at most %s cores during the run):" % busy_cores, quiet)
    else:
        print("no quiet run: every run had other processes using over %s cores" % busy_cores)
def mr(key, d, fmt="{:,.%df}"):
    v = [f(r, key) for r in rows]
    s = (fmt % d).format
    return "%s (%s-%s)" % (s(statistics.median(v)), s(min(v)), s(max(v))) if len(v) > 1 else s(v[0])
print("\nREADME row (median (min-max) of %d run%s):" % (len(rows), "" if len(rows) == 1 else "s"))
print("| %s | %s | `%s` | %d | %s | %s | %s | %s | %s | %s |" % (
    date, params, jopts, len(rows), mr("lps", 0), mr("lf_cpu", 2), mr("lf_hwm_mib", 0), mr("wire_mib", 1),
    sum(int(r["dups"]) for r in rows), jar))
PY

cd "$BENCH_DIR"
if [[ $FAILED -eq 0 && $KEEP -eq 0 ]]; then
    rm -rf "$WORK"
else
    echo
    echo "work dir kept: $WORK"
fi
[[ $FAILED -eq 0 ]] || die "verification failed"
