#!/usr/bin/env bash
# The side-by-side benchmark in one command: builds the Java sample and the load generator, starts our sample (Java,
# port 4101) and the same tutorial app on the Node plugin (bench/node, port 4102), runs every scenario and client
# count against Java, then Node, with the same parameters, collects the generator's results in
# bench/results/<UTC timestamp>.jsonl and regenerates docs/benchmarks-results.md and docs/benchmarks.png.
#
#   bench/compare.sh             the full run (under ~20 minutes on 2 cores)
#   QUICK=1 bench/compare.sh     a smoke run with small counts (~2 minutes)
#
# Sizes can be set one by one (space-separated lists where plural): WARMUP (0: none), SCENARIOS, IDLE_CLIENTS, CONNECT_CLIENTS,
# CALLS_CLIENTS, CALLS_SECONDS, FANOUT_CLIENTS, FANOUT_EVENTS, FANOUT_WARMUP, FANOUT_MODES, FANOUT_CONCURRENCY;
# JAVA_OPTS replaces the JVM flags of the Java server, JAVA_ARGS its application arguments; JAVA_PORT and NODE_PORT
# move the servers.
set -euo pipefail

cd "$(dirname "$0")/.."
# The exact command, for the report: the script with the settings given in the environment.
COMMAND="bench/compare.sh"
for name in PACED_CLIENTS PACED_INTERVAL_MS PACED_EVENTS NODE_PORT JAVA_PORT JAVA_ARGS JAVA_OPTS FANOUT_CONCURRENCY FANOUT_MODES FANOUT_WARMUP FANOUT_EVENTS FANOUT_CLIENTS \
            CALLS_SECONDS CALLS_CLIENTS CONNECT_CLIENTS IDLE_CLIENTS SCENARIOS WARMUP QUICK; do
  if [[ -n "${!name:-}" ]]; then COMMAND="$name='${!name}' $COMMAND"; fi
done

if [[ "${QUICK:-0}" == 1 ]]; then
  : "${WARMUP:=200}" "${WARMUP_EVENTS:=300}" "${WARMUP_CALLS_SECONDS:=5}"
  : "${IDLE_CLIENTS:=1000}" "${CONNECT_CLIENTS:=1000}" "${CALLS_CLIENTS:=50}" "${CALLS_SECONDS:=3}"
  : "${FANOUT_CLIENTS:=100 1000}" "${FANOUT_EVENTS:=50}" "${FANOUT_WARMUP:=20}"
else
  : "${WARMUP:=1000}" "${WARMUP_EVENTS:=1500}" "${WARMUP_CALLS_SECONDS:=20}"
  : "${IDLE_CLIENTS:=1000 15000}" "${CONNECT_CLIENTS:=5000}" "${CALLS_CLIENTS:=50 1000}" "${CALLS_SECONDS:=10}"
  : "${FANOUT_CLIENTS:=100 1000 5000 15000}" "${FANOUT_EVENTS:=auto}" "${FANOUT_WARMUP:=auto}"
fi
: "${PACED_CLIENTS:=1000}" "${PACED_INTERVAL_MS:=50}" "${PACED_EVENTS:=$([[ "${QUICK:-0}" == 1 ]] && echo 100 || echo 400)}"
: "${SCENARIOS:=idle connect calls fanout}" "${FANOUT_MODES:=sequential concurrent}" "${FANOUT_CONCURRENCY:=4}"
# The heap is fixed and touched at start, so RSS growth under load is memory outside the heap (the idle scenario
# adds the live heap it measures with --jvm) and no run pays for heap growth.
: "${JAVA_OPTS:=-Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
# The Java plugin limits each connection to 100 messages/s (429 beyond); the Node plugin has no limit, and the calls
# scenario sends far more. Everything else runs with the plugin's defaults.
: "${JAVA_ARGS:=--cds.websocket.max-messages-per-second=0}"

: "${JAVA_PORT:=4101}" "${NODE_PORT:=4102}"
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
RESULTS="bench/results/$STAMP.jsonl"
WORK=$(mktemp -d /tmp/capws-bench.XXXXXX)   # fresh databases and the servers' logs
mkdir -p bench/results

log() { printf '[compare %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

for port in $JAVA_PORT $NODE_PORT; do
  if curl -s -o /dev/null "http://localhost:$port/"; then
    log "port $port is in use: stop what runs there first"; exit 1
  fi
done

log "building the Java sample and the load generator"
if ! mvn -B -q -DskipTests -pl samples/file-integration,bench -am package > "$WORK/build.log" 2>&1; then
  tail -n 40 "$WORK/build.log" >&2; log "the build failed, see $WORK/build.log"; exit 1
fi
# The servers and the generator run from copies, so a rebuild during the run cannot pull classes from under them.
# The generator's classpath: its classes and the jars the build copied to bench/target/lib (test-support, Jackson).
cp -r bench/target/classes "$WORK/bench-classes"
cp -r bench/target/lib "$WORK/bench-lib"
BENCH_CP="$WORK/bench-classes:$WORK/bench-lib/*"
cp samples/file-integration/target/file-integration.jar "$WORK/java-sample.jar"
if [[ ! -f bench/node/node_modules/better-sqlite3/build/Release/better_sqlite3.node ]]; then
  log "installing bench/node (better-sqlite3 is compiled from source: a few minutes)"
  (cd bench/node && npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3)
fi

JAVA_PID=
NODE_PID=
stop() {
  for pid in $JAVA_PID $NODE_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $JAVA_PID $NODE_PID; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT

log "JVM flags: $JAVA_OPTS; arguments: $JAVA_ARGS"
# shellcheck disable=SC2086  # JAVA_OPTS and JAVA_ARGS are lists
PORT=$JAVA_PORT DB_FILE="$WORK/java.sqlite" java $JAVA_OPTS -jar "$WORK/java-sample.jar" $JAVA_ARGS \
  > "$WORK/java.log" 2>&1 &
JAVA_PID=$!
# exec: the pid is node's own, so the generator reads the server's CPU and memory from /proc/<pid>.
(cd bench/node && PORT=$NODE_PORT DB_FILE="$WORK/node.sqlite" NODE_ENV=production \
  exec node node_modules/@sap/cds/bin/serve.js) > "$WORK/node.log" 2>&1 &
NODE_PID=$!

wait_for() { # name port pid: until the OData service answers
  for _ in $(seq 180); do
    if curl -sf -o /dev/null "http://localhost:$2/odata/v4/test/Data"; then log "$1 is up (pid $3)"; return; fi
    if ! kill -0 "$3" 2>/dev/null; then log "$1 died at start, see $WORK/$1.log"; exit 1; fi
    sleep 1
  done
  log "$1 did not answer within 180 s, see $WORK/$1.log"; exit 1
}
wait_for java "$JAVA_PORT" "$JAVA_PID"
wait_for node "$NODE_PORT" "$NODE_PID"

{
  printf '{"scenario":"meta","date":%s,"command":%s,"nproc":%s,"cpu":%s,"memory":%s,"java":%s,"jvmFlags":%s,' \
    "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$(json_str "$COMMAND")" "$(nproc)" \
    "$(json_str "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')")" \
    "$(json_str "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)")" \
    "$(json_str "$(java -version 2>&1 | head -1)")" "$(json_str "$JAVA_OPTS $JAVA_ARGS")"
  printf '"node":%s,"sizes":%s}\n' "$(json_str "$(node --version)")" \
    "$(json_str "idle $IDLE_CLIENTS; connect $CONNECT_CLIENTS; calls $CALLS_CLIENTS clients x ${CALLS_SECONDS} s; \
fanout $FANOUT_CLIENTS clients x $FANOUT_EVENTS events (auto: 1,000,000 frames, 100-2000 events; warm-up $FANOUT_WARMUP, auto: a tenth), $FANOUT_MODES \
(concurrency $FANOUT_CONCURRENCY)")"
} > "$RESULTS"

# Events per fan-out run: "auto" aims at 1,000,000 delivered frames (100 to 2000 events), so every run lasts long
# enough for /proc's 10 ms CPU ticks and small client counts are not measured on a handful of events.
events_for() { if [[ $FANOUT_EVENTS == auto ]]; then local e=$((1000000 / $1)); echo $((e < 100 ? 100 : e > 2000 ? 2000 : e)); else echo "$FANOUT_EVENTS"; fi; }
warmup_for() { if [[ $FANOUT_WARMUP == auto ]]; then echo $(($(events_for "$1") / 10)); else echo "$FANOUT_WARMUP"; fi; }

# run <server> <scenario> <args...>: one generator run; its last stdout line, with the server, goes to $RESULTS.
run() {
  local server=$1 scenario=$2 port pid out rc=0
  shift 2
  if [[ $server == java ]]; then port=$JAVA_PORT pid=$JAVA_PID; else port=$NODE_PORT pid=$NODE_PID; fi
  log "$server $scenario $*"
  out=$(java -cp "$BENCH_CP" dev.capws.bench.Bench "$scenario" --ws "ws://localhost:$port/ws/chat" \
        --http "http://localhost:$port" --pid "$pid" "$@" 2>> "$WORK/bench.log") || rc=$?
  local last
  last=$(printf '%s\n' "$out" | tail -n 1)
  if [[ $last == \{* ]]; then
    printf '{"server":"%s",%s\n' "$server" "${last#\{}" >> "$RESULTS"
  else
    printf '{"server":"%s","scenario":"%s","clients":%s,"error":"no result (exit %s), see %s"}\n' \
      "$server" "$scenario" "$(clients_of "$@")" "$rc" "$WORK/bench.log" >> "$RESULTS"
  fi
  printf '  %s\n' "$last" >&2
  if ! kill -0 "$pid" 2>/dev/null; then log "$server died, see $WORK/$server.log"; exit 1; fi
  sleep 2 # let closed connections drain before the next run
}
clients_of() { while [[ $# -gt 1 ]]; do if [[ $1 == --clients ]]; then echo "$2"; return; fi; shift; done; echo null; }

# An unrecorded warm-up of both servers (JIT compilers, pools, first buffers): WARMUP clients, 1500 creates, 20 s of
# calls. The JVM's compilers were measured still busy after 5000 creates of a shorter warm-up (CPU per create fell
# from 7 ms to 3 ms over the next runs), so a short warm-up measures Java's compiler, not the plugin. Both runtimes compile hot code at run time, so neither is measured cold. It runs after the idle scenario:
# the garbage it leaves would be collected during idle's measurement and make Node's RSS growth look smaller.
warmed=0
warm_up() {
  if [[ $warmed == 1 || $WARMUP -le 0 ]]; then return; fi
  warmed=1
  local server port pid args
  for server in java node; do
    if [[ $server == java ]]; then port=$JAVA_PORT pid=$JAVA_PID; else port=$NODE_PORT pid=$NODE_PID; fi
    log "$server warm-up"
    for args in "fanout --clients $WARMUP --events $WARMUP_EVENTS --warmup 0" "calls --clients 50 --seconds $WARMUP_CALLS_SECONDS" \
                "fanout --clients $WARMUP --events $WARMUP_EVENTS --warmup 0 --mode concurrent"; do
      # shellcheck disable=SC2086  # args is a list of words
      java -cp "$BENCH_CP" dev.capws.bench.Bench $args --ws "ws://localhost:$port/ws/chat" \
        --http "http://localhost:$port" --pid "$pid" > /dev/null 2>> "$WORK/bench.log" || log "$server warm-up failed"
    done
  done
  sleep 2
}

for scenario in $SCENARIOS; do
  if [[ $scenario != idle ]]; then warm_up; fi
  case $scenario in
    idle)
      for n in $IDLE_CLIENTS; do
        # The live heap too (a full GC before each reading): jcmd for the JVM, the inspector for Node (port 9229).
        run java idle --clients "$n" --jvm
        run node idle --clients "$n" --v8
      done ;;
    connect)
      for n in $CONNECT_CLIENTS; do
        for server in java node; do run $server connect --clients "$n"; done
      done ;;
    calls)
      for n in $CALLS_CLIENTS; do
        for server in java node; do run $server calls --clients "$n" --seconds "$CALLS_SECONDS"; done
      done ;;
    fanout)
      for mode in $FANOUT_MODES; do
        for n in $FANOUT_CLIENTS; do
          for server in java node; do
            run $server fanout --clients "$n" --events "$(events_for "$n")" --warmup "$(warmup_for "$n")" --mode "$mode" \
                --concurrency "$FANOUT_CONCURRENCY"
          done
        done
      done
      # Paced: one create every PACED_INTERVAL_MS (an open loop), a rate both servers sustain, so the latency is the
      # delivery's own and not the wait behind events a faster server accepted earlier.
      for n in $PACED_CLIENTS; do
        for server in java node; do
          run $server fanout --clients "$n" --events "$PACED_EVENTS" --warmup 20 --interval-ms "$PACED_INTERVAL_MS"
        done
      done ;;
    *) log "unknown scenario $scenario"; exit 2 ;;
  esac
done

log "results: $RESULTS (servers' and generator's logs: $WORK)"
java -cp "$BENCH_CP" dev.capws.bench.Report "$RESULTS"
