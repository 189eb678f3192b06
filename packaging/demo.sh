#!/usr/bin/env bash
# The README's main command: a demo consortium of four validator institutions and the regulator's
# observer, on loopback, each node a `tallyd --config FILE` process in the background.
#
#   packaging/demo.sh [start]   install what is missing, build, `tally init` into the run folder
#                               (unless it holds a consortium already, which is restarted), start
#                               the five nodes, wait for each node's JSON-RPC, print the endpoints
#   packaging/demo.sh stop      SIGTERM to the recorded nodes, then wait for them to exit
#   packaging/demo.sh status    which nodes run, and each one's block number; exit 1 when one is stopped
#   packaging/demo.sh clean     stop, then delete the run folder (keys, ledgers, logs)
#
# Environment: TALLY_DEMO_DIR (run folder, default ./demo-consortium), TALLY_DEMO_SUITE
# (standard|guomi), TALLY_DEMO_P2P_PORT (first p2p port, default 30300), TALLY_DEMO_RPC_PORT
# (first RPC port, default 8545), TALLY_DEMO_SKIP_BUILD=1 (use the existing build/release).
# Exit codes: 0 done; 1 a node failed or the demo is in a state that needs a decision; 2 a step
# could not run; 3 tallyd is not built.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_DIR=${TALLY_DEMO_DIR:-demo-consortium}
SUITE=${TALLY_DEMO_SUITE:-standard}
P2P_PORT=${TALLY_DEMO_P2P_PORT:-30300}
RPC_PORT=${TALLY_DEMO_RPC_PORT:-8545}
BUILD=build/release
TALLY=$BUILD/packaging/tally
TALLYD=$BUILD/packaging/tallyd
PIDS=$RUN_DIR/pids
READY_SECONDS=60

say() { echo "demo: $*"; }
die() { local code=$1; shift; echo "demo: $*" >&2; exit "$code"; }

# "name pid" lines of the nodes started by this script that still run tallyd.
running_nodes() {
  [[ -f $PIDS ]] || return 0
  local name pid
  while read -r name pid; do
    if [[ -r /proc/$pid/cmdline ]] && grep -q tallyd <<<"$(tr '\0' ' ' < "/proc/$pid/cmdline")"; then
      echo "$name $pid"
    fi
  done < "$PIDS"
}

# A node's RPC host and port, read from the "rpc" object of its node.json (written by tally init).
rpc_endpoint() {
  local config=$1
  sed -n '/"rpc": {/,/}/p' "$config" | tr -d ' ,"' | awk -F: '
    $1 == "listen_host" { host = $2 } $1 == "listen_port" { port = $2 }
    END { print host ":" port }'
}

block_number() {
  curl -s --max-time 2 -H 'Content-Type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' "http://$1" |
    sed -n 's/.*"result":"\(0x[0-9a-fA-F]*\)".*/\1/p'
}

stop() {
  local nodes
  nodes=$(running_nodes)
  if [[ -z $nodes ]]; then
    say "no demo node is running"
    rm -f "$PIDS"
    return 0
  fi
  local name pid
  while read -r name pid; do
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
  done <<< "$nodes"
  for _ in $(seq 1 60); do
    [[ -z $(running_nodes) ]] && break
    sleep 0.5
  done
  if [[ -n $(running_nodes) ]]; then
    die 1 "still running after 30 s: $(running_nodes | tr '\n' ' ') (kill -9 them by pid)"
  fi
  rm -f "$PIDS"
  say "stopped"
}

status() {
  local node config endpoint number running stopped=0
  running=$(running_nodes)
  for config in "$RUN_DIR"/nodes/*/node.json; do
    [[ -f $config ]] || die 1 "no consortium in $RUN_DIR"
    node=$(basename "$(dirname "$config")")
    endpoint=$(rpc_endpoint "$config")
    # Not `running_nodes | grep -q`: grep -q stops reading at its match, and under pipefail the
    # writer's SIGPIPE would report a running node as stopped.
    if grep -q "^$node " <<<"$running"; then
      number=$(block_number "$endpoint")
      say "$node running, rpc http://$endpoint, block ${number:-(no answer)}"
    else
      say "$node stopped"
      stopped=1
    fi
  done
  return "$stopped"
}

build() {
  if [[ ${TALLY_DEMO_SKIP_BUILD:-0} == 1 ]]; then
    [[ -x $TALLY ]] || die 2 "TALLY_DEMO_SKIP_BUILD=1 but $TALLY is not built"
    return 0
  fi
  packaging/install-deps.sh
  cmake --preset release
  cmake --build --preset release --target tally
  # tallyd is built when the tree has it; its absence is reported after init, not hidden.
  if grep -q 'add_executable(tallyd' packaging/CMakeLists.txt; then
    cmake --build --preset release --target tallyd
  fi
}

initialise() {
  if [[ -f $RUN_DIR/genesis.json ]]; then
    say "$RUN_DIR holds a consortium already: restarting its nodes (packaging/demo.sh clean for a new one)"
    return 0
  fi
  if [[ -e $RUN_DIR ]] && [[ -n $(ls -A "$RUN_DIR") ]]; then
    die 1 "$RUN_DIR is not empty and holds no consortium: move it away or set TALLY_DEMO_DIR"
  fi
  "$TALLY" init --out "$RUN_DIR" --institutions 4 --observers 1 --suite "$SUITE" \
    --host 127.0.0.1 --base-port "$P2P_PORT" --rpc-base-port "$RPC_PORT" --accounts 10 \
    --consortium "Tally demo consortium"
}

start_nodes() {
  mkdir -p "$RUN_DIR/logs"
  : > "$PIDS"
  local config node
  for config in "$RUN_DIR"/nodes/*/node.json; do
    node=$(basename "$(dirname "$config")")
    "$TALLYD" --config "$config" > "$RUN_DIR/logs/$node.log" 2>&1 &
    echo "$node $!" >> "$PIDS"
    say "started $node (pid $!), log $RUN_DIR/logs/$node.log"
  done
}

# Waits until every node's RPC answers eth_blockNumber; a node that exits fails the demo.
wait_ready() {
  local config node endpoint deadline=$((SECONDS + READY_SECONDS))
  for config in "$RUN_DIR"/nodes/*/node.json; do
    node=$(basename "$(dirname "$config")")
    endpoint=$(rpc_endpoint "$config")
    until [[ -n $(block_number "$endpoint") ]]; do
      if ! grep -q "^$node " <<<"$(running_nodes)"; then
        echo "demo: $node exited; the end of its log:" >&2
        tail -n 20 "$RUN_DIR/logs/$node.log" >&2 || true
        stop
        exit 1
      fi
      if ((SECONDS > deadline)); then
        echo "demo: $node's RPC (http://$endpoint) did not answer within ${READY_SECONDS} s" >&2
        stop
        exit 1
      fi
      sleep 0.5
    done
    say "$node answers at http://$endpoint"
  done
}

endpoints() {
  local config node
  echo
  echo "Tally demo consortium ($SUITE suite) is running:"
  for config in "$RUN_DIR"/nodes/*/node.json; do
    node=$(basename "$(dirname "$config")")
    printf '  %-12s rpc http://%-20s log %s\n' "$node" "$(rpc_endpoint "$config")" \
      "$RUN_DIR/logs/$node.log"
  done
  echo "  accounts (keys, for the demo only): $RUN_DIR/accounts.json"
  echo "  genesis: $RUN_DIR/genesis.json; what is where: $RUN_DIR/README.txt"
  echo "Stop it with: packaging/demo.sh stop"
}

start() {
  if [[ -n $(running_nodes) ]]; then
    die 1 "the demo is running already (packaging/demo.sh status; packaging/demo.sh stop)"
  fi
  build
  initialise
  if [[ ! -x $TALLYD ]]; then
    die 3 "the consortium is in $RUN_DIR, but $TALLYD does not exist: the node (tallyd) is not in this tree yet, so nothing was started"
  fi
  start_nodes
  wait_ready
  endpoints
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  clean) stop && rm -rf "$RUN_DIR" && say "removed $RUN_DIR" ;;
  *) die 2 "usage: packaging/demo.sh [start|stop|status|clean]" ;;
esac
