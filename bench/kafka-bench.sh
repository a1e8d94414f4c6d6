#!/usr/bin/env bash
# Kafka benchmark for logferry: one big log file into a Kafka topic (tail-to-kafka), then that topic into the
# SQLite event store (kafka-to-store), against a real Apache Kafka 4.1.1 broker (KRaft, its own process).
#
#   bench/kafka-bench.sh [--lines N] [--runs K] [--mode eos|plain|both] [--partitions N] [--param NAME=VALUE]...
#                        [--load-param NAME=VALUE]... [--skip-load] [--java-opts "..."] [--broker-opts "..."]
#                        [--jar PATH] [--broker-cp CP] [--poll SECONDS] [--timeout SECONDS]
#                        [--quiet-wait SECONDS] [--profile] [--keep]
#
# Generates N RFC 5424 lines once (not timed). Each run starts a fresh broker, creates the topic, starts logferry
# with tail-to-kafka (exactlyOnce true for eos, false for plain) on an empty logs/, renames the file into
# logs/app.log and times until logferry's committed file offset (data/offsets.db) reaches the file size; then
# stops logferry and reads the topic read_committed (not timed): exactly N records, N distinct values and seqs.
# Then a second logferry with kafka-to-store loads the topic into data/events.db, timed from its "reads topic"
# log line until the store holds N rows, and the store is verified like ingest-bench.sh does.
# See bench/README.md ("Kafka benchmark") for what each printed figure means.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

LINES=1000000
RUNS=1
MODE_ARG=both
PARTITIONS=1
JAR="target/logferry.jar"
JAVA_OPTS=""
JAVA_OPTS_SET=0
# As the tests' KafkaBroker (src/test/java/io/logferry/testsupport/kafka/KafkaBroker.java), but a 1 GiB heap and
# C2: here the broker runs for minutes, and it is the receiver, not what is measured.
BROKER_OPTS="-Xms64m -Xmx1g -XX:+UseSerialGC -Xshare:auto -Djava.awt.headless=true"
BROKER_CP=""
POLL=0.25
TIMEOUT=600
STARTUP_TIMEOUT=120
SKIP_LOAD=0
PROFILE=0
KEEP=0
QUIET_WAIT=0
BUSY_CORES=0.25    # a phase during which other processes used more than this is "busy"
PARAMS=()          # NAME=VALUE tail-to-kafka parameters on top of the defaults
LOAD_PARAMS=()     # NAME=VALUE kafka-to-store parameters on top of the defaults
TOPIC=logs

usage() {
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --lines N             lines to ship (default 1000000, about 280 bytes each)
  --runs K              runs of each mode (default 1); the summary gives medians and ranges
  --mode MODE           eos (exactlyOnce=true, the template default), plain (exactlyOnce=false) or both
                        (default: alternating eos, plain, eos, plain, ...)
  --partitions N        partitions of the topic, created before logferry starts (default 1). With the template's
                        partitionBy=file one file's lines all go to one partition: add --param partitionBy=line
                        to spread them
  --param NAME=VALUE    any other tail-to-kafka parameter, e.g. batchLines=5000, compression=none (repeatable)
  --load-param NAME=VALUE  any other kafka-to-store parameter, e.g. maxPollRecords=20000 (repeatable)
  --skip-load           only file -> Kafka; no kafka-to-store phase
  --java-opts "..."     JVM options for both logferry processes (default: the options in config/jvm.options)
  --broker-opts "..."   JVM options for the broker (default -Xms64m -Xmx1g -XX:+UseSerialGC -Xshare:auto
                        -Djava.awt.headless=true)
  --jar PATH            logferry jar; relative paths are relative to the repository root (default target/logferry.jar)
  --broker-cp CP        class path of the broker (default: target/kafka-broker/classpath.txt, resolved with
                        mvn -f src/test/kafka-broker/pom.xml when missing)
  --poll SECONDS        interval between the offset / store polls (default 0.25)
  --timeout SECONDS     give up on a phase that has not finished after this long (default 600)
  --quiet-wait SECONDS  before each timed phase, wait up to this long for a second in which other processes
                        use under 0.15 cores (default 0: do not wait)
  --profile             profile each logferry JVM during its timed window (JFR, per-thread CPU, thread states,
                        perf if installed; summarised by bench/jfr-top.py); take throughput from runs without it
  --keep                keep the work directory (bench/work/kafka-<timestamp>) after a successful run
EOF
}

die() {
    echo "kafka-bench: FAIL: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --lines) LINES="${2:?--lines needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --mode) MODE_ARG="${2:?--mode needs a value}"; shift 2 ;;
        --partitions) PARTITIONS="${2:?--partitions needs a value}"; shift 2 ;;
        --param) PARAMS+=("${2:?--param needs NAME=VALUE}"); shift 2 ;;
        --load-param) LOAD_PARAMS+=("${2:?--load-param needs NAME=VALUE}"); shift 2 ;;
        --skip-load) SKIP_LOAD=1; shift ;;
        --java-opts) JAVA_OPTS="${2?--java-opts needs a value}"; JAVA_OPTS_SET=1; shift 2 ;;
        --broker-opts) BROKER_OPTS="${2?--broker-opts needs a value}"; shift 2 ;;
        --jar) JAR="${2:?--jar needs a value}"; shift 2 ;;
        --broker-cp) BROKER_CP="${2:?--broker-cp needs a value}"; shift 2 ;;
        --poll) POLL="${2:?--poll needs a value}"; shift 2 ;;
        --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
        --quiet-wait) QUIET_WAIT="${2:?--quiet-wait needs a value}"; shift 2 ;;
        --profile) PROFILE=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
[[ "$LINES" =~ ^[1-9][0-9]*$ ]] || die "--lines must be a positive integer, was '$LINES'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, was '$RUNS'"
[[ "$PARTITIONS" =~ ^[1-9][0-9]*$ ]] || die "--partitions must be a positive integer, was '$PARTITIONS'"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, was '$TIMEOUT'"
[[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--quiet-wait must be a whole number of seconds, was '$QUIET_WAIT'"
case "$MODE_ARG" in
    eos) MODES=(eos) ;;
    plain) MODES=(plain) ;;
    both) MODES=(eos plain) ;;
    *) die "--mode must be eos, plain or both, was '$MODE_ARG'" ;;
esac
for p in "${PARAMS[@]}"; do
    [[ "$p" =~ ^[A-Za-z][A-Za-z0-9]*=.*$ ]] || die "template parameters are NAME=VALUE, was '$p'"
    case "${p%%=*}" in
        paths|bootstrapServers|topic) die "--param ${p%%=*} is set by the harness" ;;
        exactlyOnce) die "use --mode eos|plain, not --param exactlyOnce=..." ;;
    esac
done
for p in "${LOAD_PARAMS[@]}"; do
    [[ "$p" =~ ^[A-Za-z][A-Za-z0-9]*=.*$ ]] || die "template parameters are NAME=VALUE, was '$p'"
    case "${p%%=*}" in
        bootstrapServers|topic|groupId|storeUrl) die "--load-param ${p%%=*} is set by the harness" ;;
    esac
done
[[ "$JAR" = /* ]] || JAR="$REPO_ROOT/$JAR"
if [[ $JAVA_OPTS_SET -eq 0 ]]; then
    # What a user gets from `java @config/jvm.options -jar ...`: the non-comment lines.
    JAVA_OPTS="$(grep -v '^[[:space:]]*\(#\|$\)' "$REPO_ROOT/config/jvm.options" | tr '\n' ' ' | sed 's/ *$//')"
fi

for tool in java javac python3 getconf sqlite3; do
    command -v "$tool" >/dev/null || die "$tool is not installed (sqlite3: apt-get update && apt-get install -y sqlite3)"
done
if [[ $PROFILE -eq 1 ]]; then
    command -v jfr >/dev/null || die "--profile needs the JDK's jfr tool on the PATH"
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The busiest threads of a window one by one (thread_cpu folds same-named threads: the tail's and the sink's
# threads are both "Camel (camel-1)" in /proc, 15 characters of their names).
# The full names come from a jcmd Thread.print taken after the window (file 4, optional).
thread_top() { # start end top [thread-dump]
    python3 - "$1" "$2" "$3" "$CLK_TCK" "${4:-}" <<'PY'
import re, sys
names = {}
try:
    for line in open(sys.argv[5]):
        m = re.match(r'^"(.*)" .* nid=(0x[0-9a-f]+) ', line)
        if m:
            names[str(int(m.group(2), 16))] = m.group(1)
except OSError:
    pass
def read(p):
    out = {}
    for line in open(p):
        parts = line.rstrip("\n").split(" ", 2)
        if len(parts) == 3:
            out[parts[0]] = (int(parts[1]), parts[2])
    return out
a, b, top, tck = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = sorted(((t - a.get(tid, (0, c))[0]) / tck, c, tid) for tid, (t, c) in b.items())[::-1][:top]
print("    busiest threads:")
for s, c, tid in rows:
    if s > 0:
        print("    %7.2f s  %s (tid %s)" % (s, names.get(tid, c), tid))
PY
}
is_busy() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$1" "$BUSY_CORES"; }

CLK_TCK="$(getconf CLK_TCK)"

# --- work directory --------------------------------------------------------------------------------------
new_work_dir "kafka-"
echo "work dir:    $WORK"
copy_stable_jar
echo "jar:         $JAR (sha256 $JAR_ID)"
for t in tail-to-kafka kafka-to-store; do
    grep -q "routes/$t.camel.yaml" "$WORK/jar-listing.txt" || die "$JAR has no routes/$t.camel.yaml (an older build?)"
done

# The broker's class path: the file the tests' KafkaBroker resolves (its own mvn project, not the main build).
if [[ -z "$BROKER_CP" ]]; then
    CP_FILE="$REPO_ROOT/target/kafka-broker/classpath.txt"
    cp_ok=0
    if [[ -s "$CP_FILE" ]]; then
        cp_ok=1
        IFS=: read -r -a jars <"$CP_FILE" || true   # no newline at the end: read says 1
        for j in "${jars[@]}"; do [[ -f "$j" ]] || { cp_ok=0; break; }; done
    fi
    if [[ $cp_ok -eq 0 ]]; then
        echo "broker cp:   resolving with mvn -f src/test/kafka-broker/pom.xml (once) ..."
        mkdir -p "$REPO_ROOT/target/kafka-broker"
        (cd "$REPO_ROOT" && mvn -B -q -f src/test/kafka-broker/pom.xml dependency:build-classpath \
            -Dmdep.outputFile="$WORK/broker-classpath.txt" >"$WORK/mvn-broker-cp.out" 2>&1) \
            || { cat "$WORK/mvn-broker-cp.out" >&2; die "could not resolve the broker's class path"; }
        cp "$WORK/broker-classpath.txt" "$CP_FILE.$$.tmp" && mv "$CP_FILE.$$.tmp" "$CP_FILE"
    fi
    BROKER_CP="$(tr -d '\n' <"$CP_FILE")"
fi
echo "$BROKER_CP" >"$WORK/broker.cp"
grep -q 'kafka_2.13-' <<<"$BROKER_CP" || die "the broker class path has no kafka_2.13 jar"
KAFKA_VERSION="$(grep -o 'kafka_2.13-[0-9.]*[0-9]' <<<"$BROKER_CP" | head -n 1 | sed 's/kafka_2.13-//')"

# The bench's Kafka client (create the topic, count it, read the group's offsets), compiled once.
mkdir -p "$WORK/tools"
javac -nowarn -cp "$BROKER_CP" -d "$WORK/tools" "$BENCH_DIR/KafkaTopicCount.java" >"$WORK/javac.out" 2>&1 \
    || { cat "$WORK/javac.out" >&2; die "could not compile bench/KafkaTopicCount.java"; }
# log4j2 at WARN for the bench's client and the broker (the broker's stdout is broker.log)
cat >"$WORK/log4j2.properties" <<'EOF'
status = error
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = out
EOF
kafka_tool() { # command args... (stdout: the tool's name=value lines)
    java -Xmx1g -XX:+UseParallelGC "-Dlog4j2.configurationFile=file:$WORK/log4j2.properties" \
        -cp "$WORK/tools:$BROKER_CP" KafkaTopicCount "$@"
}

# --- test data (not timed) ---------------------------------------------------------------------------------
echo "generating:  $LINES lines ..."
gen_start="$(now)"
python3 "$BENCH_DIR/gen-lines.py" --lines "$LINES" --out "$WORK/staging/app.log"
BYTES="$(stat -c %s "$WORK/staging/app.log")"
# Write the file back to disk now, so the kernel's writeback of it does not land in a timed window.
sync
echo "generated:   $BYTES bytes in $(fmt "$(calc "$(now) - $gen_start")" 1) s; each run renames this file into its logs/"

JAVA_VERSION="$(java -version 2>&1 | head -n 1 | sed -E 's/.*version "([^"]+)".*/\1/')"
PARAMS_TEXT="partitions=$PARTITIONS${PARAMS[*]:+ ${PARAMS[*]}}"
LOAD_PARAMS_TEXT="${LOAD_PARAMS[*]:-defaults}"

# --- processes of the current run, stopped on any exit ------------------------------------------------------
LF_PID=""
BROKER_PID=""
SAMPLER_PID=""
PERF_PID=""
TOP_PID=""
stop_pid() { # pid seconds: TERM, wait, KILL
    local pid="$1" secs="$2" _
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((secs * 10))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    local p
    for p in "$SAMPLER_PID" "$PERF_PID" "$TOP_PID"; do
        [[ -n "$p" ]] && kill -INT "$p" 2>/dev/null || true
    done
    stop_pid "$LF_PID" 5
    stop_pid "$BROKER_PID" 20
    # put the input back, so a kept work directory can be rerun by hand
    for d in "$WORK"/run-*/sink/logs; do
        [[ -f "$d/app.log" && ! -e "$WORK/staging/app.log" ]] && mv "$d/app.log" "$WORK/staging/app.log"
    done 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the broker ---------------------------------------------------------------------------------------------
# Sets BROKER_PID and BOOTSTRAP. server.properties and the log4j2 configuration are those of the tests' KafkaBroker.
start_broker() { # dir
    local dir="$1" attempt port cport cluster_id
    mkdir -p "$dir/data"
    cp "$WORK/log4j2.properties" "$dir/log4j2.properties"
    # a Kafka Uuid: 16 random bytes, base64url without padding, not starting with '-'
    cluster_id="$(python3 -c 'import base64, os
while True:
    s = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
    if not s.startswith("-"): print(s); break')"
    for attempt in 1 2 3; do
        port="$(free_port)"; cport="$(free_port)"
        [[ "$port" != "$cport" ]] || continue
        cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
broker.session.timeout.ms=2500
broker.heartbeat.interval.ms=250
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
log.cleaner.dedupe.buffer.size=4194304
EOF
        if [[ $attempt -eq 1 ]]; then
            (cd "$dir" && java -Xmx256m -XX:TieredStopAtLevel=1 "-Dlog4j2.configurationFile=file:$dir/log4j2.properties" \
                -cp "$BROKER_CP" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
                >>"$dir/broker.log" 2>&1) || { tail -n 20 "$dir/broker.log" >&2; die "kafka.tools.StorageTool format failed"; }
        fi
        # shellcheck disable=SC2086 # BROKER_OPTS is a list of words
        (cd "$dir" && exec java -Dlogferry.bench.kafka-broker=true $BROKER_OPTS "-Xlog:gc:file=$dir/gc.log:utctime" \
            "-Dlog4j2.configurationFile=file:$dir/log4j2.properties" -cp "$BROKER_CP" kafka.Kafka "$dir/server.properties" \
            >>"$dir/broker.log" 2>&1) &
        BROKER_PID=$!
        BOOTSTRAP="127.0.0.1:$port"
        if kafka_tool create "$BOOTSTRAP" "$TOPIC" "$PARTITIONS" >"$dir/create.out" 2>&1; then
            echo "broker:      pid $BROKER_PID, Kafka $KAFKA_VERSION (KRaft), $BOOTSTRAP, java $BROKER_OPTS; topic $TOPIC, $PARTITIONS partition(s)"
            return 0
        fi
        if ! kill -0 "$BROKER_PID" 2>/dev/null && grep -q 'Address already in use' "$dir/broker.log"; then
            echo "broker:      port $port or $cport was taken; trying two others"
            continue
        fi
        cat "$dir/create.out" >&2; tail -n 30 "$dir/broker.log" >&2
        die "the broker did not start or the topic could not be created (log: $dir/broker.log)"
    done
    die "the broker could not bind free ports in 3 attempts"
}

stop_broker() {
    [[ -n "$BROKER_PID" ]] || return 0
    local _
    kill -TERM "$BROKER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$BROKER_PID" 2>/dev/null && { echo "warning:     the broker did not stop within 30 s; killed" >&2; kill -KILL "$BROKER_PID"; }
    wait "$BROKER_PID" 2>/dev/null || true
    BROKER_PID=""
    return 0
}

# --- logferry -----------------------------------------------------------------------------------------------
# Writes DIR/config (the repository's config/, a free management port, one templated route) and starts logferry
# in DIR. Sets LF_PID, OUT, SPAWN_AT, JFR_FILE.
start_logferry() { # dir template routeId param...
    local dir="$1" template="$2" route="$3"
    shift 3
    mkdir -p "$dir/logs" "$dir/data"
    cp -r "$REPO_ROOT/config" "$dir/config"
    rm -f "$dir/config/routes/"*.yaml
    # its own management port: a test run or another logferry on 9876 must not make this one fail
    printf '\n# written by bench/kafka-bench.sh\ncamel.management.port = %s\n' "$(free_port)" >>"$dir/config/application.properties"
    {
        echo "# Written by bench/kafka-bench.sh: template defaults except these."
        echo "- templatedRoute:"
        echo "    routeTemplateRef: $template"
        echo "    routeId: $route"
        echo "    parameters:"
        local p
        for p in "$@"; do
            printf '      - name: %s\n        value: "%s"\n' "${p%%=*}" "${p#*=}"
        done
    } >"$dir/config/routes/default.camel.yaml"
    local -a lf_opts=("-Xlog:gc:file=$dir/gc.log:utctime")
    JFR_FILE="$dir/logferry.jfr"
    if [[ $PROFILE -eq 1 ]]; then
        lf_opts+=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+DumpPerfMapAtExit
                  "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$JFR_FILE")
    fi
    OUT="$dir/logferry.out"
    SPAWN_AT="$(now)"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of words
    (cd "$dir" && exec java $JAVA_OPTS "${lf_opts[@]}" -jar "$WORK/logferry.jar" >"$OUT" 2>&1) &
    LF_PID=$!
    echo "logferry:    pid $LF_PID ($template), java $JAVA_OPTS ${lf_opts[*]} -jar logferry.jar"
}

# Waits until logferry's log has a line matching the pattern (polled every 0.05 s); fails if it exits.
await_log() { # pattern what
    local _
    for _ in $(seq 1 $((STARTUP_TIMEOUT * 20))); do
        grep -qE "$1" "$OUT" && return 0
        kill -0 "$LF_PID" 2>/dev/null || { tail -n 30 "$OUT" >&2; die "logferry exited before $2 (log: $OUT)"; }
        sleep 0.05
    done
    tail -n 30 "$OUT" >&2
    die "logferry did not log $2 within ${STARTUP_TIMEOUT}s (log: $OUT)"
}

stop_logferry() { # sets LF_RC, STOP_S
    kill -TERM "$LF_PID"
    local stop_start _
    stop_start="$(now)"
    for _ in $(seq 1 600); do kill -0 "$LF_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$LF_PID" 2>/dev/null; then
        kill -KILL "$LF_PID" 2>/dev/null || true
        die "logferry did not exit within 60 s of SIGTERM (log: $OUT)"
    fi
    LF_RC=0
    wait "$LF_PID" || LF_RC=$?
    LF_PID=""
    STOP_S="$(calc "$(now) - $stop_start")"
    [[ $LF_RC -eq 0 || $LF_RC -eq 143 ]] || echo "warning:     logferry exited with status $LF_RC (log: $OUT)" >&2
}

quiet_wait() { # waits for a second in which processes other than logferry and the broker use under 0.15 cores
    [[ $QUIET_WAIT -gt 0 ]] || return 0
    local quiet=0 m1 m2 c1 c2 _s _
    for _ in $(seq 1 "$QUIET_WAIT"); do
        read -r m1 _s <<<"$(machine_ticks)"; c1=$(( $(cpu_ticks "$LF_PID") + $(cpu_ticks "$BROKER_PID") ))
        sleep 1
        read -r m2 _s <<<"$(machine_ticks)"; c2=$(( $(cpu_ticks "$LF_PID") + $(cpu_ticks "$BROKER_PID") ))
        if (( (m2 - m1) - (c2 - c1) < CLK_TCK * 15 / 100 )); then quiet=1; break; fi
    done
    [[ $quiet -eq 1 ]] && echo "quiet:       other processes use under 0.15 cores" \
        || echo "warning:     the machine did not get quiet within ${QUIET_WAIT}s; measuring anyway" >&2
}

# Profiling and the one top -H snapshot of a timed window.
window_begin() { # dir
    SAMPLER_PID=""; PERF_PID=""; TOP_PID=""; TOP_TAKEN=0
    if [[ $PROFILE -eq 1 ]]; then
        python3 "$BENCH_DIR/thread-states.py" "$LF_PID" "$1/states.stop" "$1/states.txt" &
        SAMPLER_PID=$!
        if command -v perf >/dev/null; then
            perf record -q -F 199 -p "$LF_PID" -o "$1/perf.data" >"$1/perf.out" 2>&1 &
            PERF_PID=$!
        fi
    fi
}
# once, when a third of the work is done: top -H over one second (its second frame), in the background
top_snapshot() { # dir done total (integers; no fork before a third is done)
    [[ $TOP_TAKEN -eq 0 ]] || return 0
    (( $2 * 3 >= $3 )) || return 0
    TOP_TAKEN=1
    command -v top >/dev/null || return 0
    echo "$LF_PID" >"$1/top-H.pid"
    top -H -b -d 1 -n 2 -w 200 -p "$LF_PID" >"$1/top-H.txt" 2>&1 &
    TOP_PID=$!
}
window_end() { # dir
    if [[ -n "$TOP_PID" ]]; then wait "$TOP_PID" 2>/dev/null || true; TOP_PID=""; fi
    # the threads' full names, for the per-thread CPU (after the window: a thread dump stops the JVM briefly)
    jcmd "$LF_PID" Thread.print >"$1/threads.txt" 2>/dev/null || true
    if [[ $PROFILE -eq 1 ]]; then
        touch "$1/states.stop"
        wait "$SAMPLER_PID" || echo "warning: the thread-state sampler failed" >&2
        if [[ -n "$PERF_PID" ]]; then
            kill -INT "$PERF_PID" 2>/dev/null || true
            wait "$PERF_PID" || true
        fi
        SAMPLER_PID=""; PERF_PID=""
    fi
}
print_top() { # dir: the threads of the second frame of top -H, busiest first
    [[ -s "$1/top-H.txt" ]] || return 0
    # the row whose id is the process id is top's line for the whole process, not a thread
    echo "top -H (one second, a third into the window; %CPU of one core):"
    awk -v pid="$(cat "$1/top-H.pid")" '/^top -/ { frame++ } frame == 2 && /^ *[0-9]+ / {
            name = $12; for (i = 13; i <= NF; i++) name = name " " $i
            if ($1 == pid) total = $9; else printf "%s\t%s (tid %s)\n", $9, name, $1 }
        END { if (total != "") printf "%s\t(whole process)\n", total }' "$1/top-H.txt" \
        | sort -t $'\t' -k1,1 -g -r | head -n 9 | awk -F '\t' '{ printf "    %6s%%  %s\n", $1, $2 }'
}
print_profile() { # dir t_start t_end
    [[ $PROFILE -eq 1 ]] || return 0
    if [[ -s "$JFR_FILE" ]]; then
        python3 "$BENCH_DIR/jfr-top.py" "$JFR_FILE" --from "$2" --to "$3" --top 15 \
            --tasks-start "$1/tasks-start.txt" --tasks-end "$1/tasks-end.txt" --clk-tck "$CLK_TCK" \
            --states "$1/states.txt" --states-top 8 --waits-top 10 --perf "$1/perf.data" \
            | tee "$1/profile.txt" || echo "warning: could not summarise $JFR_FILE" >&2
    else
        echo "warning: no flight recording at $JFR_FILE" >&2
    fi
}

# WARN/ERROR lines of logferry's log, and the first one. The tail's "match no file yet" is expected: logferry
# starts on an empty logs/ and the file is renamed in when the clock starts.
log_problems() {
    local n
    n="$(grep -E '(^|[[:space:]])(WARN|ERROR)[[:space:]]' "$OUT" | grep -cv 'match no file yet' || true)"
    if [[ "$n" -eq 0 ]]; then echo "ok    no WARN or ERROR lines in logferry's log (but the expected 'match no file yet')"
    else echo "WARN  $n WARN/ERROR lines in logferry's log ($OUT), first: $(grep -E '(^|[[:space:]])(WARN|ERROR)[[:space:]]' "$OUT" | grep -v 'match no file yet' | head -n 1 | cut -c1-220)"; fi
}

RESULTS="$WORK/results.tsv"
printf 'mode\tidx\ts_wall\ts_lps\ts_mibps\ts_cpu\ts_hwm\ts_broker_cpu\ts_other\ts_first\ts_lps_after\ts_records\ts_distinct\ts_markers\ts_verdict\ts_busy\ts_gc\tl_wall\tl_lps\tl_cpu\tl_hwm\tl_broker_cpu\tl_other\tl_spawn_wall\tl_spawn_cpu\tl_rows_at_start\tl_verdict\tl_busy\tl_gc\tbroker_hwm\ttopic_mib\n' >"$RESULTS"
FAILED=0

# --- one run ---------------------------------------------------------------------------------------------
run_one() { # mode(eos|plain) index
    local mode="$1" idx="$2"
    local eos=true
    [[ "$mode" == plain ]] && eos=false
    local RUN="$WORK/run-$idx-$mode"
    mkdir -p "$RUN"
    echo
    echo "=== run $idx: $mode (exactlyOnce=$eos), $PARAMS_TEXT ==="
    start_broker "$RUN/broker"

    # ============ phase 1: file -> Kafka (tail-to-kafka) ============
    local S="$RUN/sink"
    start_logferry "$S" tail-to-kafka tail-to-kafka "paths=logs/*.log" "bootstrapServers=$BOOTSTRAP" "topic=$TOPIC" \
        "exactlyOnce=$eos" "${PARAMS[@]}"
    await_log 'Apache Camel .*\(logferry\) started' "'Apache Camel ... started'"
    echo "started:     $(fmt "$(calc "$(now) - $SPAWN_AT")" 1) s after the spawn"
    quiet_wait

    task_snapshot "$LF_PID" >"$S/tasks-start.txt"
    task_snapshot "$BROKER_PID" >"$S/broker-tasks-start.txt"
    window_begin "$S"
    local lf_start br_start machine_start steal_start t_start load_start
    load_start="$(loadavg)"
    lf_start="$(cpu_ticks "$LF_PID")"
    br_start="$(cpu_ticks "$BROKER_PID")"
    read -r machine_start steal_start <<<"$(machine_ticks)"
    t_start="$(now)"
    mv "$WORK/staging/app.log" "$S/logs/app.log"
    echo "moved:       staging/app.log -> logs/app.log, clock started (load average $load_start)"

    # The clock stops at the first poll that sees the file's committed offset at its size: logferry commits a
    # batch's offset only after Kafka confirmed it (eos: after its transaction committed; plain: after every record
    # was acknowledged by all in-sync replicas), so a read_committed consumer can then read all N records.
    local start_us deadline_us last_report_us now_at t_now elapsed committed=0 PROGRESS
    start_us="$(now_us)"
    deadline_us=$(( start_us + TIMEOUT * 1000000 ))
    last_report_us="$start_us"
    exec {PROGRESS}>"$S/progress.tsv"   # every poll: microseconds since the rename, committed bytes
    while :; do
        sleep "$POLL"
        kill -0 "$LF_PID" 2>/dev/null || { tail -n 30 "$OUT" >&2; die "logferry exited during the run (log: $OUT)"; }
        committed="$(sqlite3 -cmd ".timeout 2000" "$S/data/offsets.db" \
            "SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM lf_offsets_files" 2>/dev/null)" || committed=0
        committed="${committed:-0}"
        t_now="$(now)"
        printf '%s\t%s\n' "$(( $(now_us) - start_us ))" "$committed" >&"$PROGRESS"
        [[ "$committed" -ge "$BYTES" ]] && break
        top_snapshot "$S" "$committed" "$BYTES"
        now_at="$(now_us)"
        if (( now_at > deadline_us )); then
            tail -n 30 "$OUT" >&2
            die "only $committed of $BYTES bytes committed after ${TIMEOUT}s (log: $OUT, work dir kept)"
        fi
        if (( now_at - last_report_us >= 5000000 )); then
            elapsed=$(( (now_at - start_us) / 100000 ))
            printf 'progress:    %s of %s bytes committed after %d.%d s\n' "$committed" "$BYTES" $(( elapsed / 10 )) $(( elapsed % 10 ))
            last_report_us="$now_at"
        fi
    done
    local t_end="$t_now"
    exec {PROGRESS}>&-
    local lf_end br_end machine_end steal_end load_end
    lf_end="$(cpu_ticks "$LF_PID")"
    br_end="$(cpu_ticks "$BROKER_PID")"
    read -r machine_end steal_end <<<"$(machine_ticks)"
    load_end="$(loadavg)"
    echo "$t_start $t_end" >"$S/window.txt"
    task_snapshot "$LF_PID" >"$S/tasks-end.txt"
    task_snapshot "$BROKER_PID" >"$S/broker-tasks-end.txt"
    local s_hwm s_rss
    s_hwm="$(status_kb "$LF_PID" VmHWM)"
    s_rss="$(status_kb "$LF_PID" VmRSS)"
    window_end "$S"
    local s_out="$OUT" s_jfr="$JFR_FILE"
    stop_logferry
    local s_rc="$LF_RC" s_stop="$STOP_S"
    mv "$S/logs/app.log" "$WORK/staging/app.log"   # the next run ships the same bytes

    # --- verify the topic (not timed): read_committed from the start to the last stable offset ---------------
    echo "verifying:   reading topic $TOPIC read_committed ..."
    kafka_tool count "$BOOTSTRAP" "$TOPIC" "$LINES" >"$S/count.out" 2>"$S/count.err" \
        || { cat "$S/count.err" >&2; die "could not read the topic back (see $S/count.err)"; }
    local -A K=()
    local k v
    while IFS='=' read -r k v; do [[ -n "$k" ]] && K["$k"]="$v"; done <"$S/count.out"
    local topic_bytes   # the topic's log segments on the broker's disk (lz4 batches by default)
    topic_bytes="$(stat -c %s "$RUN/broker/data/$TOPIC"-*/*.log 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')"

    local s_verdict=PASS
    local -a checks=()
    chk() { # description ok(1/0) [fail-level]
        if [[ "$2" == 1 ]]; then checks+=("ok    $1")
        elif [[ "${3:-FAIL}" == WARN ]]; then checks+=("WARN  $1")
        else checks+=("FAIL  $1"); s_verdict=FAIL; fi
    }
    chk "records read_committed = $LINES (got ${K[records]:-?})" "$([[ "${K[records]:-}" == "$LINES" ]] && echo 1 || echo 0)"
    chk "distinct values = $LINES (got ${K[distinct_values]:-?})" "$([[ "${K[distinct_values]:-}" == "$LINES" ]] && echo 1 || echo 0)"
    chk "distinct seq = $LINES, 0..$((LINES - 1)) (got ${K[distinct_seq]:-?}, ${K[seq_min]:-?}..${K[seq_max]:-?}; repeated ${K[seq_repeats]:-?}, without seq ${K[no_seq]:-?})" \
        "$([[ "${K[distinct_seq]:-}" == "$LINES" && "${K[seq_min]:-}" == 0 && "${K[seq_max]:-}" == $((LINES - 1)) && "${K[seq_repeats]:-}" == 0 && "${K[no_seq]:-}" == 0 ]] && echo 1 || echo 0)"
    chk "distinct record keys (origin keys) = $LINES (got ${K[distinct_keys]:-?}, null keys ${K[null_keys]:-?})" \
        "$([[ "${K[distinct_keys]:-}" == "$LINES" ]] && echo 1 || echo 0)" WARN
    chk "value bytes + newlines = file size $BYTES (got ${K[value_bytes]:-?} + $LINES)" \
        "$([[ $(( ${K[value_bytes]:-0} + LINES )) -eq $BYTES ]] && echo 1 || echo 0)" WARN
    [[ -n "${K[warning]:-}" ]] && chk "reader: ${K[warning]}" 0 WARN
    local markers=$(( ${K[end_offset_committed]:-0} - ${K[records]:-0} ))
    if [[ "$eos" == true ]]; then
        chk "end offset ${K[end_offset_committed]:-?} = records + $markers commit markers (one per transaction and partition)" \
            "$([[ $markers -gt 0 ]] && echo 1 || echo 0)" WARN
    else
        chk "end offset = records (no transactions, no markers; got ${K[end_offset_committed]:-?})" \
            "$([[ $markers -eq 0 ]] && echo 1 || echo 0)" WARN
    fi
    chk "last stable offset = high watermark (no open transaction; ${K[end_offset_committed]:-?} / ${K[end_offset_uncommitted]:-?})" \
        "$([[ "${K[end_offset_committed]:-}" == "${K[end_offset_uncommitted]:-}" ]] && echo 1 || echo 0)" WARN
    checks+=("$(log_problems)")

    local S_WALL S_LPS S_MIBPS S_CPU S_BR_CPU S_OTHER S_STEAL S_HWM S_GC S_GC_MS=0 BR_GC
    S_WALL="$(calc "$t_end - $t_start")"
    S_LPS="$(calc "$LINES / $S_WALL")"
    S_MIBPS="$(calc "$BYTES / 1048576 / $S_WALL")"
    S_CPU="$(calc "($lf_end - $lf_start) / $CLK_TCK")"
    S_BR_CPU="$(calc "($br_end - $br_start) / $CLK_TCK")"
    S_OTHER="$(calc "max(0.0, ($machine_end - $machine_start) - ($lf_end - $lf_start) - ($br_end - $br_start)) / $CLK_TCK / $S_WALL")"
    S_STEAL="$(calc "($steal_end - $steal_start) / $CLK_TCK / $S_WALL")"
    S_HWM="$(calc "$s_hwm / 1024")"
    S_GC="$(gc_summary "$S/gc.log" "$t_start" "$t_end")"
    BR_GC="$(gc_summary "$RUN/broker/gc.log" "$t_start" "$t_end")"
    [[ "$S_GC" =~ ,\ ([0-9]+)\ ms\ in\ all ]] && S_GC_MS="${BASH_REMATCH[1]}"
    local S_FIRST S_LPS_AFTER
    read -r S_FIRST S_LPS_AFTER <<<"$(python3 - "$S/progress.tsv" "$LINES" "$BYTES" <<'PY'
import sys
rows = [tuple(int(x) for x in line.split()) for line in open(sys.argv[1]) if line.strip()]
lines, size = int(sys.argv[2]), int(sys.argv[3])
first = next((r for r in rows if r[1] > 0), rows[-1])
last = rows[-1]
span = (last[0] - first[0]) / 1e6
# lines from the committed bytes (the generated lines are about the same size throughout)
print("%.2f %.0f" % (first[0] / 1e6, (last[1] - first[1]) / size * lines / span if span > 0 else 0))
PY
)"
    local s_busy=no
    is_busy "$S_OTHER" && s_busy=yes

    echo
    echo "== logferry Kafka benchmark: run $idx, $mode, phase 1: file -> Kafka (tail-to-kafka) =="
    printf '%-22s %s\n' "lines" "$LINES ($BYTES bytes, $(fmt "$(calc "$BYTES / 1048576")" 1) MiB)" \
        "pipeline" "tail-to-kafka, exactlyOnce=$eos, $PARAMS_TEXT" \
        "wall" "$(fmt "$S_WALL") s (rename to the poll that saw the committed offset = file size; polled every $POLL s)" \
        "throughput" "$(fmt "$S_LPS" 0) lines/s, $(fmt "$S_MIBPS" 1) MiB/s of log lines" \
        "after first commit" "first offset committed at $S_FIRST s; $S_LPS_AFTER lines/s from that poll to the end" \
        "logferry CPU" "$(fmt "$S_CPU") s ($(fmt "$(calc "$S_CPU * 1000000 / $LINES")") CPU-s per million lines, $(fmt "$(calc "$S_CPU / $S_WALL")") cores busy)" \
        "broker CPU" "$(fmt "$S_BR_CPU") s ($(fmt "$(calc "$S_BR_CPU * 1000000 / $LINES")") CPU-s per million lines, $(fmt "$(calc "$S_BR_CPU / $S_WALL")") cores busy)" \
        "logferry peak RSS" "$(fmt "$S_HWM" 1) MiB (VmHWM; RSS at end $(fmt "$(calc "$s_rss / 1024")" 1) MiB)" \
        "topic" "${K[records]:-?} records, end offset ${K[end_offset_committed]:-?} ($markers markers), per partition (records/end) ${K[per_partition]:-?}; $(fmt "$(calc "${topic_bytes:-0} / 1048576")" 1) MiB of log segments; read back in ${K[read_seconds]:-?} s" \
        "shutdown" "$(fmt "$s_stop" 1) s after SIGTERM, exit status $s_rc" \
        "other load" "$(fmt "$S_OTHER") cores busy with other processes during the run (steal $(fmt "$S_STEAL"))" \
        "load average" "$load_start at the rename, $load_end at the end" \
        "GC in the run" "logferry: $S_GC; broker: $BR_GC" \
        "JVM" "java $JAVA_VERSION, logferry $JAVA_OPTS, $(nproc) cores" \
        "jar" "sha256 $JAR_ID"
    [[ $s_busy == yes ]] && echo "warning:               other processes kept $(fmt "$S_OTHER") cores busy: the figures are not from a quiet machine"
    echo "logferry CPU per thread:"
    thread_cpu "$S/tasks-start.txt" "$S/tasks-end.txt" 8
    thread_top "$S/tasks-start.txt" "$S/tasks-end.txt" 6 "$S/threads.txt"
    echo "broker CPU per thread:"
    thread_cpu "$S/broker-tasks-start.txt" "$S/broker-tasks-end.txt" 6
    print_top "$S"
    echo "verification:"
    local c
    for c in "${checks[@]}"; do echo "  $c"; done
    echo "verdict                $s_verdict"
    [[ "$s_verdict" == PASS ]] || FAILED=1
    local ow="$OUT" oj="$JFR_FILE"
    OUT="$s_out"; JFR_FILE="$s_jfr"
    print_profile "$S" "$t_start" "$t_end"
    OUT="$ow"; JFR_FILE="$oj"

    # ============ phase 2: Kafka -> SQLite (kafka-to-store) ============
    local L_WALL=0 L_LPS=0 L_CPU=0 L_HWM=0 L_BR_CPU=0 L_OTHER=0 L_SPAWN_WALL=0 L_SPAWN_CPU=0 L_ROWS0=0
    local l_verdict=skipped l_busy=no L_GC_MS=0
    if [[ $SKIP_LOAD -eq 0 && "$s_verdict" == PASS ]]; then
        local L="$RUN/load" group="logferry-bench-$idx"
        start_logferry "$L" kafka-to-store kafka-to-store "bootstrapServers=$BOOTSTRAP" "topic=$TOPIC" \
            "groupId=$group" "storeUrl=jdbc:sqlite:data/events.db" "${LOAD_PARAMS[@]}"
        local spawn_at="$SPAWN_AT"
        # The consumer's thread starts polling just before the route logs "reads topic": the clock starts at that
        # line's own time stamp (the JVM's clock, ms). CPU is sampled when this loop sees it (up to 0.05 s later).
        await_log 'reads topic' "'Route ... reads topic'"
        local l_cpu_start l_br_start l_machine_start l_steal_start l_seen ts l_start
        l_cpu_start="$(cpu_ticks "$LF_PID")"
        l_br_start="$(cpu_ticks "$BROKER_PID")"
        read -r l_machine_start l_steal_start <<<"$(machine_ticks)"
        l_seen="$(now)"
        task_snapshot "$LF_PID" >"$L/tasks-start.txt"
        task_snapshot "$BROKER_PID" >"$L/broker-tasks-start.txt"
        window_begin "$L"
        ts="$(grep -m1 'reads topic' "$OUT" | cut -d' ' -f1)"
        l_start="$(date -d "$ts" +%s.%N 2>/dev/null || echo "$l_seen")"
        local q_db="$L/data/events.db"
        q() { sqlite3 -cmd ".timeout 5000" "$q_db" "$1"; }
        L_ROWS0="$(q "SELECT coalesce(max(id), 0) FROM lf_store_events" 2>/dev/null || echo 0)"
        echo "reading:     'reads topic' at $(fmt "$(calc "$l_start - $spawn_at")") s after the spawn (seen $(fmt "$(calc "$l_seen - $l_start")" 3) s later, $L_ROWS0 rows stored by then); clock started at its time stamp"

        local max_id=0 count=0
        start_us="$(now_us)"
        deadline_us=$(( start_us + TIMEOUT * 1000000 ))
        last_report_us="$start_us"
        exec {PROGRESS}>"$L/progress.tsv"
        while :; do
            sleep "$POLL"
            kill -0 "$LF_PID" 2>/dev/null || { tail -n 30 "$OUT" >&2; die "logferry exited during the load (log: $OUT)"; }
            max_id="$(q "SELECT coalesce(max(id), 0) FROM lf_store_events" 2>/dev/null)" || max_id=0
            max_id="${max_id:-0}"
            t_now="$(now)"
            if [[ "$max_id" -ge "$LINES" ]]; then
                count="$(q "SELECT count(*) FROM lf_store_events")"
                t_now="$(now)"
                [[ "$count" -ge "$LINES" ]] && break
            fi
            printf '%s\t%s\n' "$(( $(now_us) - start_us ))" "$max_id" >&"$PROGRESS"
            top_snapshot "$L" "$max_id" "$LINES"
            now_at="$(now_us)"
            if (( now_at > deadline_us )); then
                tail -n 30 "$OUT" >&2
                die "only $max_id of $LINES rows stored after ${TIMEOUT}s (log: $OUT, work dir kept)"
            fi
            if (( now_at - last_report_us >= 5000000 )); then
                elapsed=$(( (now_at - start_us) / 100000 ))
                printf 'progress:    %s rows after %d.%d s\n' "$max_id" $(( elapsed / 10 )) $(( elapsed % 10 ))
                last_report_us="$now_at"
            fi
        done
        local l_end="$t_now"
        exec {PROGRESS}>&-
        local l_cpu_end l_br_end l_machine_end l_steal_end
        l_cpu_end="$(cpu_ticks "$LF_PID")"
        l_br_end="$(cpu_ticks "$BROKER_PID")"
        read -r l_machine_end l_steal_end <<<"$(machine_ticks)"
        echo "$l_start $l_end" >"$L/window.txt"
        task_snapshot "$LF_PID" >"$L/tasks-end.txt"
        task_snapshot "$BROKER_PID" >"$L/broker-tasks-end.txt"
        local l_hwm l_rss
        l_hwm="$(status_kb "$LF_PID" VmHWM)"
        l_rss="$(status_kb "$LF_PID" VmRSS)"
        window_end "$L"
        stop_logferry
        local l_rc="$LF_RC" l_stop="$STOP_S"

        # --- verify the store, as ingest-bench.sh; and the group's committed offsets ---------------------------
        local V_COUNT V_OFFSETS V_SEQS V_SEQ_MIN V_SEQ_MAX V_PARSED V_MIN_RECEIVED V_MAX_RECEIVED V_DUP_KEYS
        read -r V_COUNT V_OFFSETS V_SEQS V_SEQ_MIN V_SEQ_MAX V_PARSED V_MIN_RECEIVED V_MAX_RECEIVED <<<"$(q "
WITH s AS (
  SELECT byte_offset, rfc5424, received_at,
         CASE WHEN substr(rtrim(raw, '0123456789'), -5) = ' seq='
              THEN CAST(substr(raw, length(rtrim(raw, '0123456789')) + 1) AS INTEGER) END AS seq
  FROM lf_store_events)
SELECT count(*), count(DISTINCT byte_offset), count(DISTINCT seq), min(seq), max(seq),
       sum(rfc5424 = 1), min(received_at), max(received_at)
FROM s" | tr '|' ' ')"
        V_DUP_KEYS="$(q "SELECT count(*) FROM (SELECT 1 FROM lf_store_lines GROUP BY source, fingerprint, byte_offset HAVING count(*) > 1) AS d")"
        kafka_tool group "$BOOTSTRAP" "$group" "$TOPIC" >"$L/group.out" 2>"$L/group.err" || true
        local -A G=()
        while IFS='=' read -r k v; do [[ -n "$k" ]] && G["$k"]="$v"; done <"$L/group.out"
        l_verdict=PASS
        checks=()
        chk2() { if [[ "$2" == 1 ]]; then checks+=("ok    $1"); elif [[ "${3:-FAIL}" == WARN ]]; then checks+=("WARN  $1"); else checks+=("FAIL  $1"); l_verdict=FAIL; fi; }
        chk2 "rows = $LINES (got $V_COUNT)" "$([[ "$V_COUNT" -eq "$LINES" ]] && echo 1 || echo 0)"
        chk2 "distinct byte_offset = $LINES (got $V_OFFSETS)" "$([[ "$V_OFFSETS" -eq "$LINES" ]] && echo 1 || echo 0)"
        chk2 "distinct seq in raw = $LINES, 0..$((LINES - 1)) (got $V_SEQS, ${V_SEQ_MIN:-?}..${V_SEQ_MAX:-?})" \
            "$([[ "$V_SEQS" -eq "$LINES" && "$V_SEQ_MIN" == 0 && "$V_SEQ_MAX" == $((LINES - 1)) ]] && echo 1 || echo 0)"
        chk2 "duplicate origin keys: 0 (got $V_DUP_KEYS)" "$([[ "$V_DUP_KEYS" -eq 0 ]] && echo 1 || echo 0)" WARN
        chk2 "parsed as RFC 5424: $LINES (got $V_PARSED)" "$([[ "$V_PARSED" -eq "$LINES" ]] && echo 1 || echo 0)" WARN
        # With transactions each partition ends with a commit marker, which no record's offset + 1 passes: a group
        # that read everything stays one offset per partition behind the end.
        local lag_ok=0 max_lag=0
        [[ "$eos" == true ]] && max_lag="$PARTITIONS"
        [[ "${G[group_lag]:-}" =~ ^[0-9]+$ ]] && (( ${G[group_lag]} <= max_lag )) && lag_ok=1
        chk2 "group $group committed up to the end of the topic (lag ${G[group_lag]:-?}, committed ${G[group_committed]:-?}; eos: the last commit marker of each partition stays behind)" \
            "$lag_ok" WARN
        checks+=("$(log_problems)")

        L_WALL="$(calc "$l_end - $l_start")"
        L_LPS="$(calc "$LINES / $L_WALL")"
        L_CPU="$(calc "($l_cpu_end - $l_cpu_start) / $CLK_TCK")"
        L_BR_CPU="$(calc "($l_br_end - $l_br_start) / $CLK_TCK")"
        L_OTHER="$(calc "max(0.0, ($l_machine_end - $l_machine_start) - ($l_cpu_end - $l_cpu_start) - ($l_br_end - $l_br_start)) / $CLK_TCK / max(0.001, $l_end - $l_seen)")"
        local L_STEAL L_GC
        L_STEAL="$(calc "($l_steal_end - $l_steal_start) / $CLK_TCK / max(0.001, $l_end - $l_seen)")"
        L_HWM="$(calc "$l_hwm / 1024")"
        L_SPAWN_WALL="$(calc "$l_end - $spawn_at")"
        L_SPAWN_CPU="$(calc "$l_cpu_end / $CLK_TCK")"   # the process's whole life: it was spawned for this
        L_GC="$(gc_summary "$L/gc.log" "$l_start" "$l_end")"
        [[ "$L_GC" =~ ,\ ([0-9]+)\ ms\ in\ all ]] && L_GC_MS="${BASH_REMATCH[1]}"
        BR_GC="$(gc_summary "$RUN/broker/gc.log" "$l_start" "$l_end")"
        local L_FIRST L_STORE_LPS
        L_FIRST="$(calc "$V_MIN_RECEIVED / 1000.0 - $l_start")"
        L_STORE_LPS="$(calc "$LINES / max(0.001, $V_MAX_RECEIVED / 1000.0 - $l_start)")"
        is_busy "$L_OTHER" && l_busy=yes

        echo
        echo "== logferry Kafka benchmark: run $idx, $mode, phase 2: Kafka -> SQLite (kafka-to-store) =="
        printf '%-22s %s\n' "pipeline" "kafka-to-store, group $group, $LOAD_PARAMS_TEXT, store jdbc:sqlite:data/events.db" \
            "wall" "$(fmt "$L_WALL") s ('reads topic' to the poll that saw $LINES rows; polled every $POLL s); $(fmt "$L_SPAWN_WALL") s from the spawn" \
            "throughput" "$(fmt "$L_LPS" 0) lines/s; $(fmt "$L_STORE_LPS" 0) lines/s to the last batch's received_at; first batch bound at $(fmt "$L_FIRST") s" \
            "logferry CPU" "$(fmt "$L_CPU") s ($(fmt "$(calc "$L_CPU * 1000000 / $LINES")") CPU-s per million lines, $(fmt "$(calc "$L_CPU / $L_WALL")") cores busy); $(fmt "$L_SPAWN_CPU") s from the spawn" \
            "broker CPU" "$(fmt "$L_BR_CPU") s ($(fmt "$(calc "$L_BR_CPU / $L_WALL")") cores busy)" \
            "logferry peak RSS" "$(fmt "$L_HWM" 1) MiB (VmHWM; RSS at end $(fmt "$(calc "$l_rss / 1024")" 1) MiB)" \
            "events.db" "$(fmt "$(calc "$(stat -c %s "$q_db") / 1048576")" 0) MiB" \
            "shutdown" "$(fmt "$l_stop" 1) s after SIGTERM, exit status $l_rc" \
            "other load" "$(fmt "$L_OTHER") cores busy with other processes during the load (steal $(fmt "$L_STEAL"))" \
            "GC in the load" "logferry: $L_GC; broker: $BR_GC"
        [[ $l_busy == yes ]] && echo "warning:               other processes kept $(fmt "$L_OTHER") cores busy: the figures are not from a quiet machine"
        echo "logferry CPU per thread:"
        thread_cpu "$L/tasks-start.txt" "$L/tasks-end.txt" 8
        thread_top "$L/tasks-start.txt" "$L/tasks-end.txt" 6 "$L/threads.txt"
        echo "broker CPU per thread:"
        thread_cpu "$L/broker-tasks-start.txt" "$L/broker-tasks-end.txt" 6
        print_top "$L"
        echo "verification:"
        for c in "${checks[@]}"; do echo "  $c"; done
        echo "verdict                $l_verdict"
        [[ "$l_verdict" == PASS ]] || FAILED=1
        print_profile "$L" "$l_start" "$l_end"
    elif [[ $SKIP_LOAD -eq 0 ]]; then
        echo "load:        skipped: the topic did not verify"
    fi

    local BR_HWM
    BR_HWM="$(calc "$(status_kb "$BROKER_PID" VmHWM) / 1024")"
    stop_broker

    printf '%s\t' "$mode" "$idx" "$S_WALL" "$S_LPS" "$S_MIBPS" "$S_CPU" "$S_HWM" "$S_BR_CPU" "$S_OTHER" "$S_FIRST" \
        "$S_LPS_AFTER" "${K[records]:-0}" "${K[distinct_values]:-0}" "$markers" "$s_verdict" "$s_busy" \
        "$(calc "$S_GC_MS / 1000")" "$L_WALL" "$L_LPS" "$L_CPU" "$L_HWM" "$L_BR_CPU" "$L_OTHER" "$L_SPAWN_WALL" \
        "$L_SPAWN_CPU" "$L_ROWS0" "$l_verdict" "$l_busy" "$(calc "$L_GC_MS / 1000")" "$BR_HWM" >>"$RESULTS"
    printf '%s\n' "$(calc "${topic_bytes:-0} / 1048576")" >>"$RESULTS"
    if [[ $KEEP -eq 0 && "$s_verdict" == PASS && "$l_verdict" != FAIL ]]; then
        rm -rf "$RUN/broker/data" "$RUN/load/data"   # 0.2-0.5 GB each
    fi
}

idx=0
for _ in $(seq 1 "$RUNS"); do
    for mode in "${MODES[@]}"; do
        idx=$((idx + 1))
        run_one "$mode" "$idx"
    done
done

# --- summary ---------------------------------------------------------------------------------------------
echo
echo "== summary: $LINES lines, $PARAMS_TEXT, load $LOAD_PARAMS_TEXT, logferry $JAVA_OPTS, broker $BROKER_OPTS =="
python3 - "$RESULTS" "$(date +%Y-%m-%d)" "$PARAMS_TEXT" "$JAVA_OPTS" "${JAR_ID%%,*}" "$BUSY_CORES" "$LINES" <<'PY'
import csv, statistics, sys
path, date, params, jopts, jar, busy_cores, lines = sys.argv[1:8]
lines = int(lines)
rows = list(csv.DictReader(open(path), delimiter="\t"))
def f(r, k): return float(r[k])
def per_m(r, k): return f(r, k) * 1e6 / lines
sink_cols = [("lines/s", lambda r: f(r, "s_lps"), 0), ("MiB/s", lambda r: f(r, "s_mibps"), 1),
             ("first commit s", lambda r: f(r, "s_first"), 2), ("lines/s after", lambda r: f(r, "s_lps_after"), 0),
             ("logferry CPU-s/M", lambda r: per_m(r, "s_cpu"), 2), ("broker CPU-s/M", lambda r: per_m(r, "s_broker_cpu"), 2),
             ("logferry RSS MiB", lambda r: f(r, "s_hwm"), 0), ("GC pauses s", lambda r: f(r, "s_gc"), 2),
             ("commit markers", lambda r: f(r, "s_markers"), 0), ("other load", lambda r: f(r, "s_other"), 2)]
load_cols = [("lines/s", lambda r: f(r, "l_lps"), 0), ("logferry CPU-s/M", lambda r: per_m(r, "l_cpu"), 2),
             ("broker CPU-s/M", lambda r: per_m(r, "l_broker_cpu"), 2), ("logferry RSS MiB", lambda r: f(r, "l_hwm"), 0),
             ("from spawn s", lambda r: f(r, "l_spawn_wall"), 2), ("CPU-s from spawn", lambda r: f(r, "l_spawn_cpu"), 2),
             ("GC pauses s", lambda r: f(r, "l_gc"), 2), ("other load", lambda r: f(r, "l_other"), 2)]
for mode in ("eos", "plain"):
    sel = [r for r in rows if r["mode"] == mode]
    if not sel:
        continue
    print("%s (%d run%s):" % (mode, len(sel), "" if len(sel) == 1 else "s"))
    print("  file -> Kafka (%s):" % ", ".join(r["s_verdict"] + (" busy" if r["s_busy"] == "yes" else "") for r in sel))
    for label, fn, d in sink_cols:
        v = [fn(r) for r in sel]
        print("    %-18s median %s  (range %s .. %s)" % (label, "%.*f" % (d, statistics.median(v)), "%.*f" % (d, min(v)), "%.*f" % (d, max(v))))
    ld = [r for r in sel if r["l_verdict"] != "skipped"]
    if ld:
        print("  Kafka -> SQLite (%s):" % ", ".join(r["l_verdict"] + (" busy" if r["l_busy"] == "yes" else "") for r in ld))
        for label, fn, d in load_cols:
            v = [fn(r) for r in ld]
            print("    %-18s median %s  (range %s .. %s)" % (label, "%.*f" % (d, statistics.median(v)), "%.*f" % (d, min(v)), "%.*f" % (d, max(v))))
print("\nREADME rows (per run):")
for r in rows:
    load = r["l_verdict"] != "skipped"
    notes = [n for n, on in (("sink busy", r["s_busy"] == "yes"), ("load busy", r["l_busy"] == "yes")) if on]
    print("| %s | %s | %s | %s | %.1f | %.2f | %.0f MiB | %.2f | %s | %s | %s | %s | %.2f / %s | %s | %s / %s%s |" % (
        date, r["mode"], params, "{:,.0f}".format(f(r, "s_lps")), f(r, "s_mibps"), per_m(r, "s_cpu"), f(r, "s_hwm"),
        per_m(r, "s_broker_cpu"),
        "{:,.0f}".format(f(r, "l_lps")) if load else "-",
        "%.2f" % per_m(r, "l_cpu") if load else "-",
        "%.0f MiB" % f(r, "l_hwm") if load else "-",
        "%.2f" % per_m(r, "l_broker_cpu") if load else "-",
        f(r, "s_other"), "%.2f" % f(r, "l_other") if load else "-", jar, r["s_verdict"], r["l_verdict"],
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
