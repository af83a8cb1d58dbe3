#!/usr/bin/env bash
# The side-by-side benchmark in one command: builds the Java sample and the load generator, starts our sample (Java,
# port 4101) and the same tutorial app on the Node plugin (bench/node, port 4102), runs every scenario and client
# count against Java, then Node, with the same parameters, collects the generator's results in
# bench/results/<UTC timestamp>.jsonl and regenerates docs/benchmarks-results.md and docs/benchmarks.png.
#
#   bench/compare.sh             the full run (under ~20 minutes on 2 cores)
#   QUICK=1 bench/compare.sh     a smoke run with small counts (~2 minutes)
#   SCENARIOS=scaleout bench/compare.sh          two instances and Redis against one instance, for both servers
#                                                (~11 minutes on a quiet machine; QUICK=1 for a smoke run); not in the default list
#   SCENARIOS=socketio bench/compare.sh          both servers with the socket.io kind, Socket.IO clients: fanout
#                                                (sequential) and calls (~5 minutes; QUICK=1 ~2); not in the default list
#
# Sizes can be set one by one (space-separated lists where plural): WARMUP (0: none), SCENARIOS, IDLE_CLIENTS, CONNECT_CLIENTS,
# CALLS_CLIENTS, CALLS_SECONDS, FANOUT_CLIENTS, FANOUT_EVENTS, FANOUT_WARMUP, FANOUT_MODES, FANOUT_CONCURRENCY,
# PACED (clients:interval-ms pairs, "1000:50 5000:200 15000:500"), PACED_SECONDS (60);
# JAVA_OPTS replaces the JVM flags of the Java server, JAVA_ARGS its application arguments; JAVA_PORT and NODE_PORT
# move the servers. Scale-out: SCALE_CLIENTS, SCALE_EVENTS (sequential), SCALE_PACED_EVENTS, SCALE_INTERVAL_MS,
# SCALE_WARMUP_EVENTS, RECOVERY_EVENTS, RECOVERY_ROUNDS; its ports: SCALE_JAVA_PORTS, SCALE_NODE_PORTS (two each:
# the instance that gets the creates, the one the clients connect to), REDIS_PORT; REDIS_SERVER: a redis-server binary
# to use instead of the one in the embedded-redis jar that the build copies to bench/target/lib. Socket.IO:
# SOCKETIO_FANOUT_CLIENTS, SOCKETIO_CALLS_CLIENTS (events, warm-up and seconds as for the plain runs); its ports:
# SOCKETIO_PORTS (Java, Node).
#
# A run of the scale-out scenario alone writes docs/benchmarks-scaleout.md and leaves docs/benchmarks-results.md and
# docs/benchmarks.png as they are; with other scenarios it writes all three. Likewise the socketio scenario and
# docs/benchmarks-socketio.md.
set -euo pipefail

cd "$(dirname "$0")/.."
# The exact command, for the report: the script with the settings given in the environment.
COMMAND="bench/compare.sh"
for name in SOCKETIO_PORTS SOCKETIO_CALLS_CLIENTS SOCKETIO_FANOUT_CLIENTS REDIS_SERVER REDIS_PORT SCALE_NODE_PORTS SCALE_JAVA_PORTS RECOVERY_ROUNDS RECOVERY_EVENTS SCALE_WARMUP_EVENTS \
            SCALE_INTERVAL_MS SCALE_PACED_EVENTS SCALE_EVENTS SCALE_CLIENTS PACED PACED_SECONDS NODE_PORT JAVA_PORT JAVA_ARGS JAVA_OPTS FANOUT_CONCURRENCY FANOUT_MODES FANOUT_WARMUP FANOUT_EVENTS FANOUT_CLIENTS \
            CALLS_SECONDS CALLS_CLIENTS CONNECT_CLIENTS IDLE_CLIENTS SCENARIOS WARMUP QUICK; do
  if [[ -n "${!name:-}" ]]; then COMMAND="$name='${!name}' $COMMAND"; fi
done

if [[ "${QUICK:-0}" == 1 ]]; then
  : "${WARMUP:=200}" "${WARMUP_EVENTS:=300}" "${WARMUP_CALLS_SECONDS:=5}"
  : "${IDLE_CLIENTS:=1000}" "${CONNECT_CLIENTS:=1000}" "${CALLS_CLIENTS:=50}" "${CALLS_SECONDS:=3}"
  : "${FANOUT_CLIENTS:=100 1000}" "${FANOUT_EVENTS:=50}" "${FANOUT_WARMUP:=20}"
  : "${SCALE_CLIENTS:=200}" "${SCALE_EVENTS:=100}" "${SCALE_PACED_EVENTS:=100}" "${SCALE_WARMUP_EVENTS:=300}"
  : "${RECOVERY_EVENTS:=200}" "${RECOVERY_ROUNDS:=3}"
else
  : "${WARMUP:=1000}" "${WARMUP_EVENTS:=1500}" "${WARMUP_CALLS_SECONDS:=20}"
  : "${IDLE_CLIENTS:=1000 15000}" "${CONNECT_CLIENTS:=5000}" "${CALLS_CLIENTS:=50 1000}" "${CALLS_SECONDS:=10}"
  : "${FANOUT_CLIENTS:=100 1000 5000 15000}" "${FANOUT_EVENTS:=auto}" "${FANOUT_WARMUP:=auto}"
  : "${SCALE_CLIENTS:=1000}" "${SCALE_EVENTS:=1000}" "${SCALE_PACED_EVENTS:=1200}" "${SCALE_WARMUP_EVENTS:=1500}"
  : "${RECOVERY_EVENTS:=1000}" "${RECOVERY_ROUNDS:=5}"
fi
: "${SCALE_INTERVAL_MS:=50}" "${REDIS_PORT:=4105}" "${SCALE_JAVA_PORTS:=4111 4113}" "${SCALE_NODE_PORTS:=4112 4114}"
: "${SOCKETIO_PORTS:=4121 4122}" "${SOCKETIO_FANOUT_CLIENTS:=100 1000}" "${SOCKETIO_CALLS_CLIENTS:=50}"
: "${PACED:=$([[ "${QUICK:-0}" == 1 ]] && echo "1000:50" || echo "1000:50 5000:200 15000:500")}"
: "${PACED_SECONDS:=$([[ "${QUICK:-0}" == 1 ]] && echo 5 || echo 60)}"
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

# The one-server servers (4101, 4102) run only for scenarios other than scaleout and socketio, which start their own.
ONE_SERVER=0
SCALE_OUT=0
SOCKET_IO=0
for scenario in $SCENARIOS; do
  case $scenario in
    scaleout) SCALE_OUT=1 ;;
    socketio) SOCKET_IO=1 ;;
    *) ONE_SERVER=1 ;;
  esac
done
PORTS=
if [[ $ONE_SERVER == 1 ]]; then PORTS="$JAVA_PORT $NODE_PORT"; fi
if [[ $SCALE_OUT == 1 ]]; then PORTS="$PORTS $SCALE_JAVA_PORTS $SCALE_NODE_PORTS $REDIS_PORT"; fi
if [[ $SOCKET_IO == 1 ]]; then PORTS="$PORTS $SOCKETIO_PORTS"; fi
for port in $PORTS; do
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
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
SERVER_PIDS=() # every server this script started and has not stopped yet
stop() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVER_PIDS=()
}
trap stop EXIT
# stop_servers <pid...>: stops these servers (and waits for them), leaves the others running.
stop_servers() {
  local pid keep=()
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do
    if [[ " $* " != *" $pid "* ]]; then keep+=("$pid"); fi
  done
  SERVER_PIDS=("${keep[@]}")
}

# start_java <name> <port> <arguments...>: our sample, with JAVA_OPTS; its pid in STARTED.
start_java() {
  local name=$1 port=$2
  shift 2
  # shellcheck disable=SC2086  # JAVA_OPTS is a list
  PORT=$port DB_FILE="$WORK/$name.sqlite" java $JAVA_OPTS -jar "$WORK/java-sample.jar" "$@" > "$WORK/$name.log" 2>&1 &
  STARTED=$!
  SERVER_PIDS+=("$STARTED")
}
# start_node <name> <port> [CDS_CONFIG]: bench/node; its pid in STARTED. exec: the pid is node's own, so the
# generator reads the server's CPU and memory from /proc/<pid>.
start_node() {
  local name=$1 port=$2 config=${3:-}
  (cd bench/node && if [[ -n $config ]]; then export CDS_CONFIG=$config; fi
   PORT=$port DB_FILE="$WORK/$name.sqlite" NODE_ENV=production exec node node_modules/@sap/cds/bin/serve.js) \
    > "$WORK/$name.log" 2>&1 &
  STARTED=$!
  SERVER_PIDS+=("$STARTED")
}

wait_for() { # name port pid: until the OData service answers
  for _ in $(seq 180); do
    if curl -sf -o /dev/null "http://localhost:$2/odata/v4/test/Data"; then log "$1 is up (pid $3)"; return; fi
    if ! kill -0 "$3" 2>/dev/null; then log "$1 died at start, see $WORK/$1.log"; exit 1; fi
    sleep 1
  done
  log "$1 did not answer within 180 s, see $WORK/$1.log"; exit 1
}

if [[ $ONE_SERVER == 1 ]]; then
  log "JVM flags: $JAVA_OPTS; arguments: $JAVA_ARGS"
  # shellcheck disable=SC2086  # JAVA_ARGS is a list
  start_java java "$JAVA_PORT" $JAVA_ARGS
  JAVA_PID=$STARTED
  start_node node "$NODE_PORT"
  NODE_PID=$STARTED
  wait_for java "$JAVA_PORT" "$JAVA_PID"
  wait_for node "$NODE_PORT" "$NODE_PID"
fi

# Scale-out: the same sample with recovery on (every frame carries its "seq"), for one instance with the local broker
# and for two with Redis. A client's queue holds twice the missed events the recovery scenario replays (the plugin
# replays at most half of cds.websocket.outbound-queue-limit), and the local history keeps as many.
SCALE_QUEUE=$((2 * RECOVERY_EVENTS > 1000 ? 2 * RECOVERY_EVENTS : 1000))
SCALE_JAVA_ARGS="$JAVA_ARGS --cds.websocket.recovery.enabled=true --cds.websocket.outbound-queue-limit=$SCALE_QUEUE \
--cds.websocket.recovery.max-events=$SCALE_QUEUE"
SCALE_NODE_CONFIG='{"websocket":{"adapter":{"impl":"redis","local":true}},"requires":{"redis-websocket":{"credentials":{"hostname":"127.0.0.1","port":'$REDIS_PORT'}}}}'
# Socket.IO: the same sample and app with the socket.io kind. The Node app's format becomes the plugin's own json, so
# that an event's data is the Socket.IO event's argument, as ours (bench/node's reply format is for plain WebSocket:
# under socket.io the plugin answers a call with its acknowledgement).
SOCKETIO_JAVA_ARGS="$JAVA_ARGS --cds.websocket.kind=socket.io"
SOCKETIO_NODE_CONFIG='{"websocket":{"kind":"socket.io","format":"json"}}'
REDIS_VERSION=
if [[ $SCALE_OUT == 1 ]]; then
  # redis-server from the embedded-redis jar (a dependency of test-support, so the build copied it to
  # bench/target/lib): no Redis needs to be installed.
  if [[ -z ${REDIS_SERVER:-} ]]; then
    jar=$(ls "$WORK"/bench-lib/embedded-redis-*.jar 2>/dev/null | head -n 1 || true)
    if [[ -z $jar ]]; then jar=$(ls ~/.m2/repository/org/signal/embedded-redis/*/embedded-redis-*.jar 2>/dev/null | head -n 1 || true); fi
    if [[ -z $jar ]]; then log "no embedded-redis jar: set REDIS_SERVER to a redis-server binary"; exit 1; fi
    unzip -p "$jar" redis-server-7.0.15-linux-amd64 > "$WORK/redis-server"
    chmod +x "$WORK/redis-server"
    REDIS_SERVER="$WORK/redis-server"
  fi
  REDIS_VERSION=$("$REDIS_SERVER" --version)
fi

{
  printf '{"scenario":"meta","date":%s,"command":%s,"nproc":%s,"cpu":%s,"memory":%s,"java":%s,"jvmFlags":%s,' \
    "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$(json_str "$COMMAND")" "$(nproc)" \
    "$(json_str "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')")" \
    "$(json_str "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)")" \
    "$(json_str "$(java -version 2>&1 | head -1)")" "$(json_str "$JAVA_OPTS $JAVA_ARGS")"
  if [[ $SCALE_OUT == 1 ]]; then
    printf '"redis":%s,"scaleoutJavaArgs":%s,"scaleoutNodeConfig":%s,"scaleoutSizes":%s,' \
      "$(json_str "$REDIS_VERSION")" "$(json_str "$SCALE_JAVA_ARGS")" "$(json_str "$SCALE_NODE_CONFIG")" \
      "$(json_str "fanout $SCALE_CLIENTS clients: sequential $SCALE_EVENTS events, paced $SCALE_PACED_EVENTS events \
every $SCALE_INTERVAL_MS ms; recovery $RECOVERY_EVENTS missed events x $RECOVERY_ROUNDS rounds; warm-up per setup \
$SCALE_CLIENTS clients x $SCALE_WARMUP_EVENTS creates")"
  fi
  if [[ $SOCKET_IO == 1 ]]; then
    printf '"socketioJavaArgs":%s,"socketioNodeConfig":%s,"socketioSizes":%s,' \
      "$(json_str "$SOCKETIO_JAVA_ARGS")" "$(json_str "$SOCKETIO_NODE_CONFIG")" \
      "$(json_str "fanout sequential $SOCKETIO_FANOUT_CLIENTS clients x $FANOUT_EVENTS events (auto: 1,000,000 frames, \
100-2000 events; warm-up $FANOUT_WARMUP, auto: a tenth); calls $SOCKETIO_CALLS_CLIENTS clients x $CALLS_SECONDS s; \
warm-up per server $WARMUP clients x $WARMUP_EVENTS creates, calls 50 clients x $WARMUP_CALLS_SECONDS s")"
  fi
  if [[ $ONE_SERVER == 1 ]]; then
    printf '"node":%s,"sizes":%s}\n' "$(json_str "$(node --version)")" \
      "$(json_str "idle $IDLE_CLIENTS; connect $CONNECT_CLIENTS; calls $CALLS_CLIENTS clients x ${CALLS_SECONDS} s; \
fanout $FANOUT_CLIENTS clients x $FANOUT_EVENTS events (auto: 1,000,000 frames, 100-2000 events; warm-up $FANOUT_WARMUP, auto: a tenth), $FANOUT_MODES \
(concurrency $FANOUT_CONCURRENCY); paced (clients:interval ms) $PACED for $PACED_SECONDS s")"
  else
    printf '"node":%s}\n' "$(json_str "$(node --version)")"
  fi
} > "$RESULTS"

# Events per fan-out run: "auto" aims at 1,000,000 delivered frames (100 to 2000 events), so every run lasts long
# enough for /proc's 10 ms CPU ticks and small client counts are not measured on a handful of events.
events_for() { if [[ $FANOUT_EVENTS == auto ]]; then local e=$((1000000 / $1)); echo $((e < 100 ? 100 : e > 2000 ? 2000 : e)); else echo "$FANOUT_EVENTS"; fi; }
warmup_for() { if [[ $FANOUT_WARMUP == auto ]]; then echo $(($(events_for "$1") / 10)); else echo "$FANOUT_WARMUP"; fi; }

# measure <server> <extra fields> <ws port> <http port> <pids> <scenario> <args...>: one generator run, clients on
# the ws port, creates to the http port, CPU summed over the pids (comma-separated); its last stdout line, with the
# server and the extra fields ('"setup":"redis",' or nothing), goes to $RESULTS. Every pid must still live after it.
measure() {
  local server=$1 extra=$2 ws=$3 http=$4 pids=$5 scenario=$6 out rc=0 last pid
  shift 6
  log "$server ${extra:+$extra }$scenario $* (clients on $ws, creates to $http)"
  out=$(java -cp "$BENCH_CP" dev.capws.bench.Bench "$scenario" --ws "ws://localhost:$ws/ws/chat" \
        --http "http://localhost:$http" --pid "$pids" "$@" 2>> "$WORK/bench.log") || rc=$?
  last=$(printf '%s\n' "$out" | tail -n 1)
  if [[ $last == \{* ]]; then
    printf '{"server":"%s",%s%s\n' "$server" "$extra" "${last#\{}" >> "$RESULTS"
  else
    printf '{"server":"%s",%s"scenario":"%s",%s"clients":%s,"error":"no result (exit %s), see %s"}\n' \
      "$server" "$extra" "$scenario" "$(kind_of "$@")" "$(clients_of "$@")" "$rc" "$WORK/bench.log" >> "$RESULTS"
  fi
  printf '  %s\n' "$last" >&2
  for pid in ${pids//,/ }; do
    if ! kill -0 "$pid" 2>/dev/null; then log "$server: process $pid died, see the logs in $WORK"; exit 1; fi
  done
  sleep 2 # let closed connections drain before the next run
}
# run <server> <scenario> <args...>: one run against the one-server servers.
run() {
  local server=$1 port pid
  shift
  if [[ $server == java ]]; then port=$JAVA_PORT pid=$JAVA_PID; else port=$NODE_PORT pid=$NODE_PID; fi
  measure "$server" "" "$port" "$port" "$pid" "$@"
}
clients_of() { while [[ $# -gt 1 ]]; do if [[ $1 == --clients ]]; then echo "$2"; return; fi; shift; done; echo null; }
# The kind field of a run's line, as the generator writes it: only for Socket.IO runs.
kind_of() { while [[ $# -gt 1 ]]; do if [[ $1 == --kind && $2 == socket.io ]]; then echo '"kind":"socket.io",'; return; fi; shift; done; }

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

# The scale-out scenario. Phase 1: one instance of each server ("local": our local broker; Node without an adapter).
# Phase 2: redis-server and two instances of each (our Redis broker; Node's Redis adapter): the clients connect to
# the second instance, the creates go to the first, so every frame crosses Redis; server CPU is summed over both
# instances and redis-server. Both phases: the same unrecorded warm-up, then the same fan-out, sequential and paced,
# and (Java only: Node has no recovery) the recovery replay.
scale_warm() { # <server> <ws port> <http port> <pids>
  log "$1 warm-up: $SCALE_CLIENTS clients, $SCALE_WARMUP_EVENTS creates (unrecorded)"
  java -cp "$BENCH_CP" dev.capws.bench.Bench fanout --clients "$SCALE_CLIENTS" --events "$SCALE_WARMUP_EVENTS" \
    --warmup 0 --ws "ws://localhost:$2/ws/chat" --http "http://localhost:$3" --pid "$4" \
    > /dev/null 2>> "$WORK/bench.log" || log "$1 warm-up failed"
  sleep 2
}
scale_phase() { # <extra fields> <java ws> <java http> <java pids> <node ws> <node http> <node pids>
  local extra=$1
  scale_warm java "$2" "$3" "$4"
  scale_warm node "$5" "$6" "$7"
  measure java "$extra" "$2" "$3" "$4" fanout --clients "$SCALE_CLIENTS" --events "$SCALE_EVENTS" \
    --warmup $((SCALE_EVENTS / 10))
  measure node "$extra" "$5" "$6" "$7" fanout --clients "$SCALE_CLIENTS" --events "$SCALE_EVENTS" \
    --warmup $((SCALE_EVENTS / 10))
  measure java "$extra" "$2" "$3" "$4" fanout --clients "$SCALE_CLIENTS" --events "$SCALE_PACED_EVENTS" --warmup 20 \
    --interval-ms "$SCALE_INTERVAL_MS"
  measure node "$extra" "$5" "$6" "$7" fanout --clients "$SCALE_CLIENTS" --events "$SCALE_PACED_EVENTS" --warmup 20 \
    --interval-ms "$SCALE_INTERVAL_MS"
  measure java "$extra" "$2" "$3" "$4" recovery --events "$RECOVERY_EVENTS" --rounds "$RECOVERY_ROUNDS" \
    --warmup $((RECOVERY_EVENTS / 5))
}
scale_out() {
  local ja jb na nb java1 node1 java2 java3 node2 node3 redis name
  read -r ja jb <<< "$SCALE_JAVA_PORTS"
  read -r na nb <<< "$SCALE_NODE_PORTS"
  log "scale-out, one instance each (Java ports $ja, Node $na); Java arguments: $SCALE_JAVA_ARGS"
  # shellcheck disable=SC2086  # SCALE_JAVA_ARGS is a list
  start_java java-local "$ja" $SCALE_JAVA_ARGS
  java1=$STARTED
  start_node node-local "$na"
  node1=$STARTED
  wait_for java-local "$ja" "$java1"
  wait_for node-local "$na" "$node1"
  scale_phase '"setup":"local","instances":1,' "$ja" "$ja" "$java1" "$na" "$na" "$node1"
  stop_servers "$java1" "$node1"

  log "scale-out, two instances each (Java $ja and $jb, Node $na and $nb) and $REDIS_VERSION on port $REDIS_PORT"
  "$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 &
  redis=$!
  SERVER_PIDS+=("$redis")
  for _ in $(seq 50); do
    if (exec 3<> "/dev/tcp/127.0.0.1/$REDIS_PORT") 2> /dev/null; then break; fi
    if ! kill -0 "$redis" 2>/dev/null; then log "redis-server died at start, see $WORK/redis.log"; exit 1; fi
    sleep 0.2
  done
  for name in java-a java-b; do
    # shellcheck disable=SC2086  # SCALE_JAVA_ARGS is a list
    start_java "$name" "$([[ $name == java-a ]] && echo "$ja" || echo "$jb")" $SCALE_JAVA_ARGS \
      --cds.websocket.broker=redis "--cds.websocket.redis.uri=redis://127.0.0.1:$REDIS_PORT"
    if [[ $name == java-a ]]; then java2=$STARTED; else java3=$STARTED; fi
  done
  start_node node-a "$na" "$SCALE_NODE_CONFIG"
  node2=$STARTED
  start_node node-b "$nb" "$SCALE_NODE_CONFIG"
  node3=$STARTED
  wait_for java-a "$ja" "$java2"
  wait_for java-b "$jb" "$java3"
  wait_for node-a "$na" "$node2"
  wait_for node-b "$nb" "$node3"
  # The Node plugin falls back to no adapter when it cannot reach Redis: that would measure one instance twice.
  for name in node-a node-b; do
    if ! grep -q "impl: 'redis', active: true" "$WORK/$name.log"; then
      log "$name: the Redis adapter is not active, see $WORK/$name.log"; exit 1
    fi
  done
  scale_phase '"setup":"redis","instances":2,' "$jb" "$ja" "$java2,$java3,$redis" "$nb" "$na" "$node2,$node3,$redis"
  stop_servers "$java2" "$java3" "$node2" "$node3" "$redis"
}

# The socketio scenario: both servers again, fresh and with the socket.io kind (the kind is one per application), on
# their own ports; the same unrecorded warm-up as the plain runs, over Socket.IO; then sequential fan-out and calls,
# Java then Node, with the generator's Socket.IO clients (--kind socket.io).
socket_io() {
  local jp np java node server port pid n args
  read -r jp np <<< "$SOCKETIO_PORTS"
  log "socket.io kind (Java on $jp, Node on $np); Java arguments: $SOCKETIO_JAVA_ARGS; Node: CDS_CONFIG=$SOCKETIO_NODE_CONFIG"
  # shellcheck disable=SC2086  # SOCKETIO_JAVA_ARGS is a list
  start_java java-socketio "$jp" $SOCKETIO_JAVA_ARGS
  java=$STARTED
  start_node node-socketio "$np" "$SOCKETIO_NODE_CONFIG"
  node=$STARTED
  wait_for java-socketio "$jp" "$java"
  wait_for node-socketio "$np" "$node"
  # Both must serve Engine.IO (its open packet on a polling handshake; the session it opens times out unused), and the
  # Node plugin must have taken the kind from CDS_CONFIG: otherwise the runs would fail to connect, or measure ws.
  for port in "$jp" "$np"; do
    if [[ $(curl -sf "http://localhost:$port/socket.io/?EIO=4&transport=polling" || true) != 0\{* ]]; then
      log "port $port does not serve Socket.IO, see the logs in $WORK"; exit 1
    fi
  done
  if ! grep -q "kind: 'socket.io'" "$WORK/node-socketio.log"; then
    log "node-socketio: the plugin does not say kind socket.io, see $WORK/node-socketio.log"; exit 1
  fi
  for server in java node; do
    if [[ $server == java ]]; then port=$jp pid=$java; else port=$np pid=$node; fi
    if [[ $WARMUP -gt 0 ]]; then
      log "$server socket.io warm-up: $WARMUP clients, $WARMUP_EVENTS creates, calls for $WARMUP_CALLS_SECONDS s (unrecorded)"
      for args in "fanout --clients $WARMUP --events $WARMUP_EVENTS --warmup 0" "calls --clients 50 --seconds $WARMUP_CALLS_SECONDS"; do
        # shellcheck disable=SC2086  # args is a list of words
        java -cp "$BENCH_CP" dev.capws.bench.Bench $args --kind socket.io --ws "ws://localhost:$port/ws/chat" \
          --http "http://localhost:$port" --pid "$pid" > /dev/null 2>> "$WORK/bench.log" || log "$server warm-up failed"
      done
      sleep 2
    fi
  done
  for n in $SOCKETIO_FANOUT_CLIENTS; do
    measure java "" "$jp" "$jp" "$java" fanout --kind socket.io --clients "$n" --events "$(events_for "$n")" \
      --warmup "$(warmup_for "$n")"
    measure node "" "$np" "$np" "$node" fanout --kind socket.io --clients "$n" --events "$(events_for "$n")" \
      --warmup "$(warmup_for "$n")"
  done
  for n in $SOCKETIO_CALLS_CLIENTS; do
    measure java "" "$jp" "$jp" "$java" calls --kind socket.io --clients "$n" --seconds "$CALLS_SECONDS"
    measure node "" "$np" "$np" "$node" calls --kind socket.io --clients "$n" --seconds "$CALLS_SECONDS"
  done
  stop_servers "$java" "$node"
}

for scenario in $SCENARIOS; do
  if [[ $scenario != idle && $scenario != scaleout && $scenario != socketio ]]; then warm_up; fi
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
      # Paced: N clients, one create every I ms (an open loop) for PACED_SECONDS, a rate both servers sustain, so the
      # latency is the delivery's own and not the wait behind events a faster server accepted earlier. The rates
      # fall as the clients grow (20, 5 and 2 events/s): the steady rates of a live dashboard.
      for pair in $PACED; do
        n=${pair%%:*} interval=${pair##*:}
        for server in java node; do
          run $server fanout --clients "$n" --events $((PACED_SECONDS * 1000 / interval)) --warmup 10 --interval-ms "$interval"
        done
      done ;;
    scaleout) scale_out ;;
    socketio) socket_io ;;
    *) log "unknown scenario $scenario"; exit 2 ;;
  esac
done

log "results: $RESULTS (servers' and generator's logs: $WORK)"
java -cp "$BENCH_CP" dev.capws.bench.Report "$RESULTS"
