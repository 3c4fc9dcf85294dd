#!/usr/bin/env bash
# End-to-end suite against a real n8n: `bash test/e2e/run.sh` (npm run test:e2e).
#
# Builds and packs this package, installs it into a real n8n (2.41.1, then the oldest n8n the README
# claims: 2.0.0; see E2E_N8N_VERSIONS), starts the EvoLink simulator (with a request log) and runs
# workflows headless, reading every result back through n8n's public API. Installs
# (scripts/real-n8n.sh): regular mode as n8n's Community Nodes installer does, queue mode with
# README's manual command. Reports through node:test only: each mode is one node:test run of
# test/e2e/scenarios.mjs (one test per scenario, one subtest per check, spec reporter), the editor
# check one of test/e2e/editor.mjs; the exit code is 1 when any run failed (a process that did not
# start fails its run's tests with the reason).
#
# Modes:
#   regular  one `n8n start` (SQLite); then n8n restarts while an execution waits by callback (r1, r2)
#   upgrade  one `n8n start`: each release of E2E_UPGRADE_FROM (0.1.0, 0.2.0) in turn runs
#            E2E_UPGRADE_SCENARIOS with version 1 nodes and its own examples/, saving what it made;
#            then this build is installed over it, n8n restarts, and the workflows saved with each
#            release run again, unchanged: the same checks must pass
#   queue    EXECUTIONS_MODE=queue: Redis + PostgreSQL + `n8n start` + two `n8n worker` + `n8n webhook`
#            (main refuses production webhooks)
# Scenarios (test/e2e/scenarios.mjs; the workflows they build use Wan Video version 2 unless the upgrade
# check asks for 1):
#   install  the package is installed where n8n loads it, without a second n8n-workflow
#   demo   examples/demo-create-and-wait.json with `n8n execute`: Create waits, downloads a playable MP4
#   a      Webhook -> Code (3 items) -> Create -> Wait (polling, download): 3 videos as binary
#   b      Wan Video Trigger started by the simulator's callbacks; forged/repeated callbacks start nothing
#   c      Create with waitMode 'callback': the execution waits and resumes on the callback
#   cbfail c with Continue On Fail and an item Create refuses: resumes once the valid tasks are final
#   disk   examples/image-url-to-video-file.json with `n8n execute`; Read/Write Files from Disk writes
#          the video under N8N_RESTRICT_FILE_ACCESS_TO (<run>/files), byte for byte the simulator's
#   form   examples/form-upload-to-video.json activated; a multipart submission with a real PNG
#   twoimages  examples/two-images-first-to-last-frame.json activated; a form submission with two PNGs
#   pair   examples/on-video-ready.json activated, examples/create-with-callback.json pointed at it
#   chain  examples/three-chained-clips.json with `n8n execute`: each clip continues the previous URL
#   models one execution: a task of each of the 17 models from one Create (binary frames, reference
#          video and soundtrack among URLs), each completed and downloaded
#   credits  30 items, a balance for 4 (a simulator of its own): no create after the first 402
#   spread 4 tasks of 4/8/12/16 s, Create -> Wait: the execution ends within 1.2 x 16 s
#   agent  examples/agent-with-video-tool.json with this n8n's default AI Agent and with Agent 2.2,
#          run against test/e2e/fake-llm.mjs (an OpenAI-compatible model scripted to call the tool once)
#   budget two workflows share a credential of 2 requests/s; a credential of 0 stops before sending
#   workers (queue) two workers on one key: 4 executions x 50 items, 5 creates/s per model, 20 s
#          tasks: every task created once; figures: requests, 429s, wall time against the ideal
#   topology (queue, last) which process enqueued and which worker ran each execution
#   bigvideo (opt-in, queue mode) videos of E2E_BIG_VIDEO_MB sizes downloaded on a worker and read back
#   editor (regular mode; test/e2e/editor.mjs) a real browser (system chromium + playwright-core, cached
#          in .e2e/playwright) adds Wan Video Trigger and Wan Video in the n8n editor and checks their
#          panels per "Start From" group; screenshots in <run>/regular/editor/;
#          E2E_UPDATE_SCREENSHOTS=1 also copies them to docs/screenshots/
# Measured figures (workers, spread, credits, cbfail) are printed under their test and collected in
# <run>/figures.txt, printed again at the end.
#
# Knobs: E2E_MODES=regular,upgrade,queue  E2E_SCENARIOS=<regular list>  E2E_QUEUE_SCENARIOS=<queue list>
#        E2E_N8N_VERSIONS=2.41.1,2.0.0 (first: E2E_MODES; others: E2E_OLDER_MODES=regular with
#        E2E_OLDER_SCENARIOS)  E2E_UPGRADE_FROM=1f3e29f,00672b7  E2E_UPGRADE_SCENARIOS=a,b,c,form,agent
#        E2E_TEST_NAME_PATTERN=<regexp>: node:test's --test-name-pattern over the scenarios of every run
#        E2E_PORT_BASE=15678 (uses 12 ports from there)  E2E_SIM_TASK_MS=3000  E2E_RESTART=0 (no restart)
# Node 24 and n8n are installed into .e2e/ on first use (cold ~5-8 min on 2 cores) and cached; nothing
# goes to ~ (RN_CACHE=<dir> shares the installs between clones).
# Every process it starts is stopped on exit (also on failure or Ctrl-C).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/real-n8n.sh
source "$HERE/../../scripts/real-n8n.sh"
rn_init

REGULAR_DEFAULT=install,demo,a,b,c,cbfail,disk,form,twoimages,pair,chain,models,credits,spread,agent,budget,editor
OLDER_DEFAULT=install,demo,a,b,c,disk,form,pair,agent,budget
QUEUE_DEFAULT=install,a,b,c,cbfail,form,agent,budget,spread,workers,topology

# ---------------------------------------------------------------- n8n versions
# E2E_N8N_VERSIONS=2.41.1,2.0.0 (the default): the suite runs once per n8n version, each in a child run
# of this script (RN_N8N_VERSION=<v>, install .e2e/n8n-<v>/, logs .e2e/run/n8n-<v>/). The first version
# runs E2E_MODES (the full suite); the others (older n8n) run E2E_OLDER_MODES (default regular) with
# E2E_OLDER_SCENARIOS. The exit code covers every version.
if [ -z "${E2E_VERSION_CHILD:-}" ]; then
  IFS=, read -ra VERSIONS <<< "${E2E_N8N_VERSIONS:-2.41.1,2.0.0}"
  rm -rf "$RN_E2E/run"; mkdir -p "$RN_E2E/run"
  T_ALL=$(rn_now_ms) FIRST=1 FAILED=() WALLS=()
  for v in "${VERSIONS[@]}"; do
    v=${v// /}; [ -n "$v" ] || continue
    if [ "$FIRST" = 1 ]; then vmodes=${E2E_MODES:-regular,upgrade,queue} vskip=${RN_SKIP_BUILD:-0}
    else vmodes=${E2E_OLDER_MODES:-regular} vskip=1; fi   # later versions pack the dist/ built by the first
    vscen=${E2E_SCENARIOS:-}
    [ "$FIRST" = 1 ] || vscen=${E2E_OLDER_SCENARIOS:-${E2E_SCENARIOS:-$OLDER_DEFAULT}}
    printf '\n######## n8n %s: %s\n' "$v" "$vmodes"
    t=$(rn_now_ms)
    E2E_VERSION_CHILD=1 RN_N8N_VERSION=$v E2E_MODES=$vmodes RN_SKIP_BUILD=$vskip E2E_SCENARIOS=$vscen \
      E2E_RUN_DIR=$RN_E2E/run/n8n-$v bash "${BASH_SOURCE[0]}" || FAILED+=("n8n $v")
    WALLS+=("n8n $v: $((($(rn_now_ms) - t) / 1000)) s")
    FIRST=0
  done
  printf '\n######## all n8n versions\n'
  for v in "${VERSIONS[@]}"; do
    f=$RN_E2E/run/n8n-${v// /}/figures.txt
    [ -s "$f" ] && { echo "figures, n8n ${v// /}:"; sed 's/^/  /' "$f"; }
  done
  echo "wall time: ${WALLS[*]}; all versions: $((($(rn_now_ms) - T_ALL) / 1000)) s"
  if [ ${#FAILED[@]} -gt 0 ]; then echo "node:test runs failed on: ${FAILED[*]} (see above)"; exit 1; fi
  echo "every node:test run passed"
  exit 0
fi

MODES=${E2E_MODES:-regular,upgrade,queue}
SCENARIOS=${E2E_SCENARIOS:-$REGULAR_DEFAULT}
QUEUE_SCENARIOS=${E2E_QUEUE_SCENARIOS:-$QUEUE_DEFAULT}
B=${E2E_PORT_BASE:-15678}
P_MAIN=$B P_MAIN_BROKER=$((B + 1)) P_SIM=$((B + 2)) P_HOOK=$((B + 3)) P_HOOK_BROKER=$((B + 4))
P_WORKER_BROKER=$((B + 5)) P_WORKER_HEALTH=$((B + 6)) P_REDIS=$((B + 7)) P_CLI_BROKER=$((B + 8)) P_PG=$((B + 9))
P_WORKER2_BROKER=$((B + 10)) P_WORKER2_HEALTH=$((B + 11))
SIM_KEY=e2e-sim-key-$RANDOM$RANDOM
RUN=${E2E_RUN_DIR:-$RN_E2E/run}
FIGURES=$RUN/figures.txt
FAILED_RUNS=$RUN/failed-runs
OWNER_EMAIL=owner@e2e.test OWNER_PASSWORD=E2e-Wan-Video-1
export N8N_ENCRYPTION_KEY=e2e-not-a-secret-wan-video-0123456789   # shared by CLI, main, worker, webhook
# Read/Write Files from Disk may only touch this folder (n8n 2.x restricts file access; the default is
# ~/.n8n-files): the "disk" scenario writes the video there (CLI, main and worker share the setting)
export N8N_RESTRICT_FILE_ACCESS_TO=$RUN/files

T_START=$(rn_now_ms)
declare -A T
timed() { local k=$1 t; shift; t=$(rn_now_ms); "$@"; local rc=$?; T[$k]=$(($(rn_now_ms) - t)); return $rc; }
say() { printf '\n== %s\n' "$*"; }

for p in $(seq "$B" $((B + 11))); do
  rn_port_free "$p" || rn_die "port $p is in use: set E2E_PORT_BASE to a free range of 12 ports"
done
rm -rf "$RUN"; mkdir -p "$RUN" "$N8N_RESTRICT_FILE_ACCESS_TO"

# ---------------------------------------------------------------- installs (cached)
say "installing (cached in .e2e/)"
timed install_node24 ensure_node24
timed install_n8n ensure_n8n
rn_log "Node $(node --version), n8n $("$N8N_BIN" --version 2>/dev/null | tail -1) ($N8N_BIN)"
timed build_pack pack_package > "$RUN/package.path" || rn_die "could not build and pack the package"
PKG_TGZ=$(cat "$RUN/package.path")
# regular mode: installed as n8n's Community Nodes installer does; queue mode: with README's manual
# command (scenario "install" checks each)
case ",$MODES," in *,regular,*) timed install_regular install_like_n8n "$RUN/regular/home" "$PKG_TGZ" ;; esac
case ",$MODES," in *,queue,*) timed install_queue install_manually "$RUN/queue/home" "$PKG_TGZ" ;; esac

# ---------------------------------------------------------------- simulator
say "EvoLink simulator"
SIM_LOG=$RUN/simulator-requests.jsonl
rn_spawn simulator "$RUN/simulator.log" node "$RN_REPO/test/simulator/cli.js" --port "$P_SIM" --host 127.0.0.1 \
  --key "$SIM_KEY" --task-ms "${E2E_SIM_TASK_MS:-3000}" --log "$SIM_LOG"
SIM_PID=$RN_LAST_PID
SIM_BASE=$(rn_base_url "$RUN/simulator.log" "$SIM_PID")
[ -n "$SIM_BASE" ] || { cat "$RUN/simulator.log" >&2; rn_die "the simulator did not start"; }
rn_log "simulator at $SIM_BASE (requests: $SIM_LOG)"

# a fake OpenAI-compatible chat model for the agent example (scripted: one Wan Video tool call, then an answer)
FAKE_LLM_LOG=$RUN/fake-llm.jsonl
rn_spawn fake-llm "$RUN/fake-llm.log" node "$HERE/fake-llm.mjs" --port 0 --host 127.0.0.1 --log "$FAKE_LLM_LOG"
FAKE_LLM_PID=$RN_LAST_PID
FAKE_LLM_BASE=$(rn_base_url "$RUN/fake-llm.log" "$FAKE_LLM_PID")
[ -n "$FAKE_LLM_BASE" ] && rn_log "fake LLM at $FAKE_LLM_BASE" || { cat "$RUN/fake-llm.log" >&2; rn_log "the fake LLM did not start: the agent example is only imported"; }

# node_test <label> <file> [VAR=value...]: one node:test run (spec reporter) of a test file from <run>/<label>;
# a failed run's label goes to <run>/failed-runs, for the exit code (runs may be made in subshells)
node_test() {
  local label=$1 file=$2; shift 2
  mkdir -p "$RUN/$label"
  (cd "$RUN/$label" && env "$@" E2E_LABEL="$label" E2E_N8N_VERSION="$RN_N8N_VERSION" E2E_FIGURES="$FIGURES" \
    E2E_RUN_DIR="$RUN" E2E_OWNER_EMAIL=$OWNER_EMAIL E2E_OWNER_PASSWORD=$OWNER_PASSWORD \
    E2E_SIM_BASE="$SIM_BASE" E2E_SIM_KEY="$SIM_KEY" E2E_SIM_LOG="$SIM_LOG" \
    node --test-reporter=spec ${E2E_TEST_NAME_PATTERN:+--test-name-pattern="$E2E_TEST_NAME_PATTERN"} "$file") \
    || echo "$label" >> "$FAILED_RUNS"
}

# run_scenarios <label> <scenarios> <api base> <hook base> <webhook url> <api key> <home> [VAR=value...]
run_scenarios() {
  local label=$1 list=$2 api=$3 hook=$4 wurl=$5 key=$6 home=$7 demo_exec=; shift 7
  list=$(printf ',%s,' "$list" | sed 's/,editor,/,/g; s/^,*//; s/,*$//')   # editor: run_editor
  [ -n "$list" ] || return 0
  case $label in regular | r1 | r2 | upgrade-*)
    demo_exec="env N8N_RUNNERS_BROKER_PORT=$P_CLI_BROKER $N8N_BIN execute --rawOutput" ;;
  esac
  node_test "$label" "$HERE/scenarios.mjs" "$@" E2E_SCENARIOS="$list" E2E_API_BASE="$api" E2E_HOOK_BASE="$hook" \
    E2E_WEBHOOK_URL="$wurl" E2E_API_KEY="$key" E2E_PKG_DIR="$home/.n8n/nodes/node_modules/$RN_PKG_NAME" \
    E2E_DEMO_EXEC="$demo_exec" E2E_FILES_DIR="$N8N_RESTRICT_FILE_ACCESS_TO" \
    E2E_FAKE_LLM_BASE="$FAKE_LLM_BASE" E2E_FAKE_LLM_LOG="$FAKE_LLM_LOG"
}

# startup_failed <label> <scenarios> <why>: n8n did not start, so each scenario of the run fails with why
startup_failed() {
  rn_log "$1: $3"
  node_test "$1" "$HERE/scenarios.mjs" E2E_STARTUP_ERROR="$3" E2E_SCENARIOS="$2" E2E_API_BASE=http://127.0.0.1:9 \
    E2E_API_KEY=none E2E_PKG_DIR=/nonexistent
}

# run_editor <label> <base> <api key>: the editor check in a real browser (test/e2e/editor.mjs)
run_editor() {
  local label=$1 base=$2 key=$3 chromium shots= why=
  say "$label mode: editor check (chromium)"
  if ! chromium=$(ensure_chromium) || ! ensure_playwright; then
    why="no browser: chromium or playwright-core could not be installed"
  fi
  [ "${E2E_UPDATE_SCREENSHOTS:-0}" = 1 ] && shots=$RN_REPO/docs/screenshots
  node_test "$label-editor" "$HERE/editor.mjs" E2E_STARTUP_ERROR="$why" E2E_API_BASE="$base" E2E_API_KEY="$key" \
    E2E_CHROMIUM="${chromium:-}" E2E_PLAYWRIGHT="${RN_PLAYWRIGHT_DIR:-}" E2E_EDITOR_DIR="$RUN/$label/editor" \
    E2E_SCREENSHOTS_DIR="$shots"
}

# ---------------------------------------------------------------- regular mode
# start_single_n8n <dir> <log>: n8n start on $P_MAIN (SQLite, user folder <dir>/home); its pid in
# <dir>/n8n.pid
start_single_n8n() {
  local dir=$1
  (
    cd "$dir"
    RN_BROKER_PORT=$P_MAIN_BROKER n8n_env "$dir/home" "$P_MAIN"
    unset EXECUTIONS_MODE
    rn_spawn "n8n start" "$dir/$2" "$N8N_BIN" start
    echo "$RN_LAST_PID" > "$dir/n8n.pid"
  )
  RN_PIDS+=("$(cat "$dir/n8n.pid")")
}
start_regular_n8n() { start_single_n8n "$RUN/regular" "$1"; }

# in_single_env <home> <command...>: the command with the n8n CLI env of a single-mode n8n (n8n execute)
in_single_env() {
  local home=$1; shift
  ( RN_BROKER_PORT=$P_MAIN_BROKER n8n_env "$home" "$P_MAIN"; "$@" )
}

# restart_while_waiting <key>: r1 leaves an execution waiting by callback, n8n restarts, r2 checks
# that the simulator's callback after the restart resumed it (E2E_RESTART=0 skips this)
restart_while_waiting() {
  local key=$1 home=$RUN/regular/home dir=$RUN/regular pid
  [ "${E2E_RESTART:-1}" = 1 ] || return 0
  local hook="http://127.0.0.1:$P_MAIN"
  in_single_env "$home" run_scenarios r1 r1 "$hook" "$hook" "$hook/" "$key" "$home"
  rn_stop "$(cat "$dir/n8n.pid")"
  say "regular mode: n8n restarted while an execution waits by callback"
  start_regular_n8n n8n-restarted.log
  pid=$(cat "$dir/n8n.pid")
  if ! timed regular_restart_ready wait_ready "$hook" 180 "$pid"; then
    tail -30 "$dir/n8n-restarted.log" >&2; startup_failed r2 r2 "n8n did not come back after the restart"; return
  fi
  in_single_env "$home" run_scenarios r2 r2 "$hook" "$hook" "$hook/" "$key" "$home"
}

mode_regular() {
  local home=$RUN/regular/home dir=$RUN/regular pid key hook="http://127.0.0.1:$P_MAIN"
  say "regular mode: n8n start on 127.0.0.1:$P_MAIN"
  start_regular_n8n n8n.log
  pid=$(cat "$dir/n8n.pid")
  if ! timed regular_ready wait_ready "$hook" 180 "$pid"; then
    tail -30 "$dir/n8n.log" >&2; startup_failed regular "$SCENARIOS" "n8n start did not become ready"; rn_stop "$pid"; return
  fi
  rn_log "n8n ready in ${T[regular_ready]} ms"
  key=$(setup_owner_and_key "$hook" "$OWNER_EMAIL" "$OWNER_PASSWORD") \
    || { startup_failed regular "$SCENARIOS" "owner setup / API key"; rn_stop "$pid"; return; }
  timed regular_scenarios in_single_env "$home" run_scenarios regular "$SCENARIOS" "$hook" "$hook" "$hook/" "$key" "$home" \
    E2E_INSTALL_KIND=n8n
  case ",$SCENARIOS," in *,editor,*) timed regular_editor run_editor regular "$hook" "$key" ;; esac
  timed regular_restart restart_while_waiting "$key"
  timed regular_stop rn_stop "$(cat "$dir/n8n.pid")"
}

# ---------------------------------------------------------------- upgrade
# Each release of E2E_UPGRADE_FROM (commits: 0.1.0, 0.2.0), built as it was and installed as n8n's
# installer would, over the one before, runs workflows that use every node and operation (version 1
# nodes, and the release's own examples/), and the scenarios save what they made (scenarios.mjs
# E2E_SAVED, "save"). Then this build replaces the last release, n8n restarts, and the workflows and
# credentials saved with each release run again unchanged ("reuse"): the same checks must pass.
UPGRADE_FROM=${E2E_UPGRADE_FROM:-1f3e29f,00672b7}
UPGRADE_SCENARIOS=${E2E_UPGRADE_SCENARIOS:-a,b,c,form,agent}
upgrade_phase() {  # upgrade_phase <label> <saved file> <examples dir> <save|reuse> <key>
  local hook="http://127.0.0.1:$P_MAIN"
  in_single_env "$RUN/upgrade/home" run_scenarios "$1" "$UPGRADE_SCENARIOS" "$hook" "$hook" "$hook/" "$5" \
    "$RUN/upgrade/home" E2E_SAVED="$2" E2E_EXAMPLES_DIR="$3" E2E_SAVED_MODE="$4" E2E_NODE_VERSION=1
}
mode_upgrade() {
  local dir=$RUN/upgrade key= pid hook="http://127.0.0.1:$P_MAIN" c f tgz version froms
  IFS=, read -ra froms <<< "$UPGRADE_FROM"
  say "upgrade: ${froms[*]}, then this build, on one n8n (scenarios $UPGRADE_SCENARIOS)"
  for c in "${froms[@]}" this; do
    if [ "$c" = this ]; then tgz=$PKG_TGZ
    else
      tgz=$(pack_release "$c") || { startup_failed "upgrade-$c" "$UPGRADE_SCENARIOS" "cannot build $c"; return; }
      mkdir -p "$dir/examples-$c"
      git -C "$RN_REPO" archive "$c" examples | tar -x -C "$dir/examples-$c"
    fi
    install_like_n8n "$dir/home" "$tgz"
    version=$(node -p 'require(process.argv[1]).version' "$dir/home/.n8n/nodes/node_modules/$RN_PKG_NAME/package.json")
    say "upgrade: $RN_PKG_NAME $version ($c) installed, n8n starting"
    start_single_n8n "$dir" "n8n-$c.log"
    pid=$(cat "$dir/n8n.pid")
    if ! wait_ready "$hook" 180 "$pid"; then
      tail -30 "$dir/n8n-$c.log" >&2; startup_failed "upgrade-$c" "$UPGRADE_SCENARIOS" "n8n did not become ready"; rn_stop "$pid"; return
    fi
    [ -n "$key" ] || key=$(setup_owner_and_key "$hook" "$OWNER_EMAIL" "$OWNER_PASSWORD") \
      || { startup_failed "upgrade-$c" "$UPGRADE_SCENARIOS" "owner setup / API key"; rn_stop "$pid"; return; }
    if [ "$c" = this ]; then
      for f in "${froms[@]}"; do
        upgrade_phase "upgrade-$f-after" "$dir/saved-$f.json" "$dir/examples-$f/examples" reuse "$key"
      done
    else
      upgrade_phase "upgrade-$c" "$dir/saved-$c.json" "$dir/examples-$c/examples" save "$key"
    fi
    rn_stop "$pid"
  done
}

# ---------------------------------------------------------------- queue mode
ensure_redis() {
  command -v redis-server > /dev/null && return 0
  rn_log "redis-server missing: apt-get install -y redis-server (Debian)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; } > "$RUN/apt.log" 2>&1 \
    || { tail -20 "$RUN/apt.log" >&2; return 1; }
  command -v redis-server > /dev/null
}

# queue_env: the env shared by the main, worker and webhook processes (n8n 2.41 names, @n8n/config)
queue_env() {
  RN_WEBHOOK_URL=http://127.0.0.1:$P_HOOK/ RN_BROKER_PORT=$P_MAIN_BROKER n8n_env "$RUN/queue/home" "$P_MAIN"
  export EXECUTIONS_MODE=queue QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT=$P_REDIS
  export QUEUE_BULL_PREFIX=e2e-wan-video
  export N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true   # production webhooks only on the webhook process
  # PostgreSQL (start_postgres), as n8n supports scaling mode; binary data in n8n's default for queue
  # mode (the database): N8N_DEFAULT_BINARY_DATA_MODE is left unset
  export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT=$P_PG DB_POSTGRESDB_DATABASE=n8n
  export DB_POSTGRESDB_USER=n8n DB_POSTGRESDB_PASSWORD=n8n
  unset N8N_DEFAULT_BINARY_DATA_MODE
}

# start_worker <n> <broker port> <health port>: `n8n worker` number n (2 jobs at a time, so that
# executions started together spread over the workers); its pid in <run>/queue/worker<n>.pid
start_worker() {
  local dir=$RUN/queue
  (cd "$dir" && queue_env && export N8N_RUNNERS_BROKER_PORT=$2 QUEUE_HEALTH_CHECK_ACTIVE=true \
    QUEUE_HEALTH_CHECK_PORT=$3 && rn_spawn "n8n worker $1" "$dir/worker$1.log" "$N8N_BIN" worker --concurrency=2 \
    && echo "$RN_LAST_PID" > "$dir/worker$1.pid")
  RN_PIDS+=("$(cat "$dir/worker$1.pid")")
}

mode_queue() {
  local dir=$RUN/queue pid_main pid_hook pid_redis key i n
  local L=queue list=$QUEUE_SCENARIOS
  say "queue mode: redis :$P_REDIS, PostgreSQL :$P_PG, n8n start :$P_MAIN, two n8n workers, n8n webhook :$P_HOOK"
  if ! timed redis_install ensure_redis; then startup_failed $L "$list" "redis-server is not installed and apt-get failed"; return; fi
  if ! timed postgres_start start_postgres "$dir/pg" "$P_PG"; then startup_failed $L "$list" "PostgreSQL did not start (log: $dir/pg)"; return; fi
  rn_spawn redis "$dir/redis.log" redis-server --port "$P_REDIS" --bind 127.0.0.1 --save '' --appendonly no \
    --protected-mode yes --dir "$dir"
  pid_redis=$RN_LAST_PID
  for i in $(seq 1 50); do
    [ "$( (exec 3<>"/dev/tcp/127.0.0.1/$P_REDIS" && printf 'PING\r\n' >&3 && head -c 5 <&3) 2>/dev/null)" = "+PONG" ] && break
    sleep 0.1
  done
  [ "$i" -lt 50 ] || { startup_failed $L "$list" "redis did not answer PING"; return; }

  (cd "$dir" && queue_env && rn_spawn "n8n start (queue main)" "$dir/main.log" "$N8N_BIN" start && echo "$RN_LAST_PID" > "$dir/main.pid")
  pid_main=$(cat "$dir/main.pid"); RN_PIDS+=("$pid_main")
  # the main process runs the migrations: let it finish before the others open the database
  if ! timed queue_main_ready wait_ready "http://127.0.0.1:$P_MAIN" 180 "$pid_main"; then
    tail -30 "$dir/main.log" >&2; startup_failed $L "$list" "main did not become ready"; return
  fi
  start_worker 1 "$P_WORKER_BROKER" "$P_WORKER_HEALTH"
  start_worker 2 "$P_WORKER2_BROKER" "$P_WORKER2_HEALTH"
  (cd "$dir" && queue_env && export N8N_PORT=$P_HOOK N8N_RUNNERS_BROKER_PORT=$P_HOOK_BROKER \
    && rn_spawn "n8n webhook" "$dir/webhook.log" "$N8N_BIN" webhook && echo "$RN_LAST_PID" > "$dir/webhook.pid")
  pid_hook=$(cat "$dir/webhook.pid"); RN_PIDS+=("$pid_hook")
  for n in 1 2; do
    local health=$P_WORKER_HEALTH; [ "$n" = 2 ] && health=$P_WORKER2_HEALTH
    if ! timed "queue_worker${n}_ready" wait_ready "http://127.0.0.1:$health" 180 "$(cat "$dir/worker$n.pid")"; then
      tail -30 "$dir/worker$n.log" >&2; startup_failed $L "$list" "worker $n did not become ready"; return
    fi
  done
  if ! timed queue_webhook_ready wait_ready "http://127.0.0.1:$P_HOOK" 180 "$pid_hook"; then
    tail -30 "$dir/webhook.log" >&2; startup_failed $L "$list" "webhook process did not become ready"; return
  fi
  rn_log "queue mode ready: main ${T[queue_main_ready]} ms, workers ${T[queue_worker1_ready]} / ${T[queue_worker2_ready]} ms, webhook ${T[queue_webhook_ready]} ms"
  key=$(setup_owner_and_key "http://127.0.0.1:$P_MAIN" "$OWNER_EMAIL" "$OWNER_PASSWORD") \
    || { startup_failed $L "$list" "owner setup / API key"; return; }
  timed queue_scenarios run_scenarios $L "$list" "http://127.0.0.1:$P_MAIN" "http://127.0.0.1:$P_HOOK" \
    "http://127.0.0.1:$P_HOOK/" "$key" "$RUN/queue/home" E2E_INSTALL_KIND=manual E2E_MAIN_LOG="$dir/main.log" \
    E2E_WEBHOOK_LOG="$dir/webhook.log" E2E_WORKER_LOGS="$dir/worker1.log,$dir/worker2.log"
  local t; t=$(rn_now_ms)
  rn_stop "$pid_hook"; rn_stop "$(cat "$dir/worker1.pid")"; rn_stop "$(cat "$dir/worker2.pid")"
  rn_stop "$pid_main"; rn_stop "$pid_redis"
  T[queue_stop]=$(($(rn_now_ms) - t))
}

mkdir -p "$RUN/regular" "$RUN/queue" "$RUN/upgrade"
case ",$MODES," in *,regular,*) mode_regular ;; esac
case ",$MODES," in *,upgrade,*) timed upgrade mode_upgrade ;; esac
case ",$MODES," in *,queue,*) mode_queue ;; esac

# ---------------------------------------------------------------- report
rn_stop "$FAKE_LLM_PID"; rn_stop "$SIM_PID"
# n8n unpacks its editor's bundles into each user folder (~700 minified files): drop them, so that
# ESLint (`npm run lint`, which covers the repository) does not wade through them after a run
find "$RUN" -path '*/home/.cache' -prune -exec rm -rf {} + 2>/dev/null
say "n8n $RN_N8N_VERSION: timings"
echo "timings (ms):"
for k in "${!T[@]}"; do printf '  %-22s %8s\n' "$k" "${T[$k]}"; done | sort
N8N_MARKER=$(rn_n8n_dir)/.installed-$RN_N8N_VERSION
[ -f "$N8N_MARKER" ] && sed "s/^/  n8n $RN_N8N_VERSION install record: /" "$N8N_MARKER"
[ -s "$FIGURES" ] && { echo "figures:"; sed 's/^/  /' "$FIGURES"; }
echo "logs: $RUN"
echo "wall time: $((($(rn_now_ms) - T_START) / 1000)) s"
if [ -s "$FAILED_RUNS" ]; then echo "node:test runs that failed: $(tr '\n' ' ' < "$FAILED_RUNS")"; exit 1; fi
