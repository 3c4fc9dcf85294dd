#!/usr/bin/env bash
# End-to-end suite against a real n8n: `bash test/e2e/run.sh` (npm run test:e2e).
#
# Builds and packs this package, installs it into a real n8n (2.41.1, then the oldest n8n the README
# claims: 2.0.0; see E2E_N8N_VERSIONS), starts the EvoLink simulator and runs workflows headless,
# reading every result back through n8n's public API. Installs (scripts/real-n8n.sh): regular mode as
# n8n's Community Nodes installer does, queue mode with README's manual command. Modes:
#   regular  one `n8n start` (SQLite)          scenarios demo,a,b,c,disk,form,pair,agent,editor
#   upgrade  one `n8n start`: the release at E2E_UPGRADE_FROM (0.1.0) runs a,b,c,form,agent; this
#            build is installed over it, n8n restarts, and the same saved workflows run again
#   queue    EXECUTIONS_MODE=queue: Redis + PostgreSQL + `n8n start` + `n8n worker` + `n8n webhook`
#            (main refuses production webhooks)   a,b,c,form,agent; then which process enqueued and
#            which ran each execution
# Scenarios (test/e2e/scenarios.mjs):
#   demo  examples/demo-create-and-wait.json run with `n8n execute` (Create + wait + download)
#   a     Webhook -> Code (3 items) -> Create -> Wait (polling, download): 3 videos as binary
#   b     Wan Video Trigger started by the simulator's callbacks; forged/repeated callbacks start nothing
#   c     Create with waitMode 'callback': the execution waits and resumes on the callback
#   disk  examples/image-url-to-video-file.json with `n8n execute`: Create + wait + download, then
#         Read/Write Files from Disk writes the video under N8N_RESTRICT_FILE_ACCESS_TO (<run>/files):
#         the file must be the simulator's video, byte for byte
#   form  examples/form-upload-to-video.json activated; a multipart submission with a real PNG to the
#         form's production URL: Create uploads the binary image (files API), Wait downloads the video
#   pair  examples/on-video-ready.json activated, examples/create-with-callback.json pointed at it and
#         run with `n8n execute`: the trigger's workflow gets the video
#   agent examples/agent-with-video-tool.json with this n8n's default AI Agent version (3.1 on 2.41.1:
#         the tool runs as an engine request) and with Agent 2.2 (in process): imports, activates,
#         and a chat message runs the agent against test/e2e/fake-llm.mjs (an OpenAI-compatible model
#         scripted to call the tool once); the tool's answer must reach the model
#   bigvideo (opt-in, queue mode) downloads videos of E2E_BIG_VIDEO_MB sizes on the worker and reads
#         them back through n8n: where n8n's database binary mode stops giving them back
#   editor  (regular mode; test/e2e/editor.mjs) a real browser (system chromium + playwright-core, cached
#         in .e2e/playwright) adds Wan Video Trigger and Wan Video in the n8n editor and checks their
#         panels: fields, help, notices, credential. Screenshots in <run>/regular/editor/;
#         E2E_UPDATE_SCREENSHOTS=1 also copies them to docs/screenshots/
#
# Knobs: E2E_MODES=regular,upgrade,queue  E2E_SCENARIOS=demo,a,b,c,disk,form,pair,agent,budget,editor
#        E2E_QUEUE_SCENARIOS=a,b,c,form,agent,budget  E2E_N8N_VERSIONS=2.41.1,2.0.0 (first: E2E_MODES; others:
#        E2E_OLDER_MODES=regular with E2E_OLDER_SCENARIOS, default E2E_SCENARIOS or the list without editor)
#        E2E_UPGRADE_FROM=1f3e29f  E2E_UPGRADE_SCENARIOS=a,b,c,form,agent
#        E2E_TEST_NAME_PATTERN=<regexp>: node:test's --test-name-pattern over the scenarios of every run
#        E2E_PORT_BASE=15678 (uses 10 ports from there)  E2E_SIM_TASK_MS=3000
# Node 24 and n8n are installed into .e2e/ on first use (cold ~5-8 min on 2 cores) and cached; nothing
# goes to ~ (RN_CACHE=<dir> shares the installs between clones).
# Every process it starts is stopped on exit (also on failure or Ctrl-C). Exit code 1 on any FAIL.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/real-n8n.sh
source "$HERE/../../scripts/real-n8n.sh"
rn_init

# ---------------------------------------------------------------- n8n versions
# E2E_N8N_VERSIONS=2.41.1,2.0.0 (the default): the suite runs once per n8n version, each in a child run
# of this script (RN_N8N_VERSION=<v>, install .e2e/n8n-<v>/, logs .e2e/run/n8n-<v>/). The first version
# runs E2E_MODES (the full suite); the others (older n8n) run E2E_OLDER_MODES (default regular) with the
# same E2E_SCENARIOS. The exit code covers every version.
if [ -z "${E2E_VERSION_CHILD:-}" ]; then
  IFS=, read -ra VERSIONS <<< "${E2E_N8N_VERSIONS:-2.41.1,2.0.0}"
  rm -rf "$RN_E2E/run"; mkdir -p "$RN_E2E/run"
  T_ALL=$(rn_now_ms) RC_ALL=0 FIRST=1 VSUM=()
  for v in "${VERSIONS[@]}"; do
    v=${v// /}; [ -n "$v" ] || continue
    if [ "$FIRST" = 1 ]; then vmodes=${E2E_MODES:-regular,upgrade,queue} vskip=${RN_SKIP_BUILD:-0}
    else vmodes=${E2E_OLDER_MODES:-regular} vskip=1; fi   # later versions pack the dist/ built by the first
    vscen=${E2E_SCENARIOS:-}
    [ "$FIRST" = 1 ] || vscen=${E2E_OLDER_SCENARIOS:-${E2E_SCENARIOS:-demo,a,b,c,disk,form,pair,agent,budget}}
    printf '\n######## n8n %s: %s\n' "$v" "$vmodes"
    t=$(rn_now_ms)
    E2E_VERSION_CHILD=1 RN_N8N_VERSION=$v E2E_MODES=$vmodes RN_SKIP_BUILD=$vskip E2E_SCENARIOS=$vscen \
      E2E_RUN_DIR=$RN_E2E/run/n8n-$v bash "${BASH_SOURCE[0]}"
    rc=$?
    [ "$rc" = 0 ] || RC_ALL=1
    VSUM+=("$(node -e '
      const fs = require("fs"), [f, v, rc, ms] = process.argv.slice(1);
      const rows = fs.existsSync(f) ? fs.readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse) : [];
      const parts = rows.map((r) => `${r.label} ${r.passed}/${r.failed}/${r.skipped}`);
      const t = rows.reduce((a, r) => [a[0] + r.passed, a[1] + r.failed, a[2] + r.skipped], [0, 0, 0]);
      console.log(`n8n ${v}: ${rc === "0" ? "PASS" : "FAIL"}  ${t[0]} passed, ${t[1]} failed, ${t[2]} skipped` +
        `  (${Math.round(ms / 1000)} s; passed/failed/skipped: ${parts.join(", ") || "no results"})`);
    ' "$RN_E2E/run/n8n-$v/results.jsonl" "$v" "$rc" "$(($(rn_now_ms) - t))")")
    FIRST=0
  done
  printf '\n######## all n8n versions\n'
  printf '%s\n' "${VSUM[@]}"
  echo "wall time, all versions: $((($(rn_now_ms) - T_ALL) / 1000)) s"
  exit "$RC_ALL"
fi

MODES=${E2E_MODES:-regular,upgrade,queue}
SCENARIOS=${E2E_SCENARIOS:-demo,a,b,c,disk,form,pair,agent,budget,editor}
QUEUE_SCENARIOS=${E2E_QUEUE_SCENARIOS:-a,b,c,form,agent,budget}
B=${E2E_PORT_BASE:-15678}
P_MAIN=$B P_MAIN_BROKER=$((B + 1)) P_SIM=$((B + 2)) P_HOOK=$((B + 3)) P_HOOK_BROKER=$((B + 4))
P_WORKER_BROKER=$((B + 5)) P_WORKER_HEALTH=$((B + 6)) P_REDIS=$((B + 7)) P_CLI_BROKER=$((B + 8)) P_PG=$((B + 9))
SIM_KEY=e2e-sim-key-$RANDOM$RANDOM
RUN=${E2E_RUN_DIR:-$RN_E2E/run}
RESULTS=$RUN/results.jsonl
OWNER_EMAIL=owner@e2e.test OWNER_PASSWORD=E2e-Wan-Video-1
export N8N_ENCRYPTION_KEY=e2e-not-a-secret-wan-video-0123456789   # shared by CLI, main, worker, webhook
# Read/Write Files from Disk may only touch this folder (n8n 2.x restricts file access; the default is
# ~/.n8n-files): the "disk" scenario writes the video there (CLI, main and worker share the setting)
export N8N_RESTRICT_FILE_ACCESS_TO=$RUN/files

T_START=$(rn_now_ms)
declare -A T
timed() { local k=$1 t; shift; t=$(rn_now_ms); "$@"; local rc=$?; T[$k]=$(($(rn_now_ms) - t)); return $rc; }
say() { printf '\n== %s\n' "$*"; }
# record <label> <status> <message>: one check made here rather than in scenarios.mjs (0 = passed)
record() {
  local ok=0; [ "$2" = 0 ] && ok=1
  if [ "$ok" = 1 ]; then echo "PASS $1: $3"; else echo "FAIL $1: $3"; fi
  echo "{\"label\":\"$1\",\"passed\":$ok,\"failed\":$((1 - ok)),\"skipped\":0,\"ms\":0}" >> "$RESULTS"
}
# record_fail <label> <message>: a failure outside scenarios.mjs (startup)
record_fail() { record "$1" 1 "startup: $2"; }

for p in $(seq "$B" $((B + 9))); do
  rn_port_free "$p" || rn_die "port $p is in use: set E2E_PORT_BASE to a free range of 10 ports"
done
rm -rf "$RUN"; mkdir -p "$RUN" "$N8N_RESTRICT_FILE_ACCESS_TO"

# ---------------------------------------------------------------- installs (cached)
say "installing (cached in .e2e/)"
timed install_node24 ensure_node24
timed install_n8n ensure_n8n
rn_log "Node $(node --version), n8n $("$N8N_BIN" --version 2>/dev/null | tail -1) ($N8N_BIN)"
timed build_pack pack_package > "$RUN/package.path" || rn_die "could not build and pack the package"
PKG_TGZ=$(cat "$RUN/package.path")
# regular mode: installed as n8n's Community Nodes installer does; queue mode: with README's manual command
case ",$MODES," in *,regular,*)
  timed install_regular install_like_n8n "$RUN/regular/home" "$PKG_TGZ"
  record regular-install $? "installed as n8n's Community Nodes installer does; no second n8n-workflow under ~/.n8n/nodes" ;;
esac
case ",$MODES," in *,queue,*)
  timed install_queue install_manually "$RUN/queue/home" "$PKG_TGZ"
  record queue-install $? "installed with README's '$MANUAL_INSTALL'; no second n8n-workflow under ~/.n8n/nodes" ;;
esac

# ---------------------------------------------------------------- simulator
say "EvoLink simulator"
rn_spawn simulator "$RUN/simulator.log" node "$RN_REPO/test/simulator/cli.js" --port "$P_SIM" --host 127.0.0.1 \
  --key "$SIM_KEY" --task-ms "${E2E_SIM_TASK_MS:-3000}"
SIM_PID=$RN_LAST_PID
SIM_BASE=$(rn_base_url "$RUN/simulator.log" "$SIM_PID")
[ -n "$SIM_BASE" ] || { cat "$RUN/simulator.log" >&2; rn_die "the simulator did not start"; }
rn_log "simulator at $SIM_BASE"

# a fake OpenAI-compatible chat model for the agent example (scripted: one Wan Video tool call, then an answer)
FAKE_LLM_LOG=$RUN/fake-llm.jsonl
rn_spawn fake-llm "$RUN/fake-llm.log" node "$HERE/fake-llm.mjs" --port 0 --host 127.0.0.1 --log "$FAKE_LLM_LOG"
FAKE_LLM_PID=$RN_LAST_PID
FAKE_LLM_BASE=$(rn_base_url "$RUN/fake-llm.log" "$FAKE_LLM_PID")
[ -n "$FAKE_LLM_BASE" ] && rn_log "fake LLM at $FAKE_LLM_BASE" || { cat "$RUN/fake-llm.log" >&2; rn_log "the fake LLM did not start: the agent example is only imported"; }

# run_scenarios <label> <scenarios> <api base> <hook base> <webhook url> <api key> <home>
run_scenarios() {
  local label=$1 list=$2 api=$3 hook=$4 wurl=$5 key=$6 home=$7 demo_exec=
  list=$(printf ',%s,' "$list" | sed 's/,editor,/,/g; s/^,*//; s/,*$//')   # editor: run_editor
  [ -n "$list" ] || return 0
  if [ "$label" = regular ]; then
    demo_exec="env N8N_RUNNERS_BROKER_PORT=$P_CLI_BROKER $N8N_BIN execute --rawOutput"
  fi
  (cd "$RUN/$label" && E2E_LABEL=$label E2E_SCENARIOS=$list E2E_API_BASE=$api E2E_HOOK_BASE=$hook \
    E2E_WEBHOOK_URL=$wurl E2E_API_KEY=$key E2E_SIM_BASE=$SIM_BASE E2E_SIM_KEY=$SIM_KEY \
    E2E_PKG_DIR=$home/.n8n/nodes/node_modules/$RN_PKG_NAME E2E_DEMO_EXEC=$demo_exec E2E_RESULTS=$RESULTS \
    E2E_FILES_DIR=$N8N_RESTRICT_FILE_ACCESS_TO E2E_N8N_VERSION=$RN_N8N_VERSION \
    E2E_FAKE_LLM_BASE=$FAKE_LLM_BASE E2E_FAKE_LLM_LOG=$FAKE_LLM_LOG \
    E2E_SAVED=${E2E_SAVED:-} E2E_SAVED_MODE=${E2E_SAVED_MODE:-} \
    E2E_OWNER_EMAIL=$OWNER_EMAIL E2E_OWNER_PASSWORD=$OWNER_PASSWORD \
    node --test-reporter=spec ${E2E_TEST_NAME_PATTERN:+--test-name-pattern="$E2E_TEST_NAME_PATTERN"} \
      "$HERE/scenarios.mjs")
  local rc=$?
  # scenarios.mjs writes its results line as it ends; one that died without it has failed
  grep -qs "\"label\":\"$label\"" "$RESULTS" || record_fail "$label" "scenarios.mjs ended ($rc) without results"
}

# run_editor <label> <base> <api key>: the editor check in a real browser (test/e2e/editor.mjs)
run_editor() {
  local label=$1 base=$2 key=$3 chromium shots=
  say "$label mode: editor check (chromium)"
  if ! chromium=$(ensure_chromium) || ! ensure_playwright; then
    record_fail "$label-editor" "no browser: chromium or playwright-core could not be installed"; return
  fi
  [ "${E2E_UPDATE_SCREENSHOTS:-0}" = 1 ] && shots=$RN_REPO/docs/screenshots
  (cd "$RUN/$label" && E2E_LABEL=$label E2E_API_BASE=$base E2E_API_KEY=$key E2E_RESULTS=$RESULTS \
    E2E_OWNER_EMAIL=$OWNER_EMAIL E2E_OWNER_PASSWORD=$OWNER_PASSWORD E2E_SIM_BASE=$SIM_BASE E2E_SIM_KEY=$SIM_KEY \
    E2E_CHROMIUM=$chromium E2E_PLAYWRIGHT=$RN_PLAYWRIGHT_DIR E2E_EDITOR_DIR=$RUN/$label/editor \
    E2E_SCREENSHOTS_DIR=$shots node "$HERE/editor.mjs")
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

# restart_while_waiting <key>: r1 leaves an execution waiting by callback, n8n restarts, r2 checks
# that the simulator's callback after the restart resumed it (E2E_RESTART=0 skips this)
restart_while_waiting() {
  local key=$1 home=$RUN/regular/home dir=$RUN/regular pid
  [ "${E2E_RESTART:-1}" = 1 ] || return 0
  local hook="http://127.0.0.1:$P_MAIN"
  ( RN_BROKER_PORT=$P_MAIN_BROKER n8n_env "$home" "$P_MAIN"
    run_scenarios regular r1 "$hook" "$hook" "$hook/" "$key" "$home" )
  rn_stop "$(cat "$dir/n8n.pid")"
  say "regular mode: n8n restarted while an execution waits by callback"
  start_regular_n8n n8n-restarted.log
  pid=$(cat "$dir/n8n.pid")
  if ! timed regular_restart_ready wait_ready "$hook" 180 "$pid"; then
    tail -30 "$dir/n8n-restarted.log" >&2; record_fail regular "n8n did not come back after the restart"; return
  fi
  ( RN_BROKER_PORT=$P_MAIN_BROKER n8n_env "$home" "$P_MAIN"
    run_scenarios regular r2 "$hook" "$hook" "$hook/" "$key" "$home" )
}

mode_regular() {
  local home=$RUN/regular/home dir=$RUN/regular pid key
  say "regular mode: n8n start on 127.0.0.1:$P_MAIN"
  start_regular_n8n n8n.log
  pid=$(cat "$dir/n8n.pid")
  if ! timed regular_ready wait_ready "http://127.0.0.1:$P_MAIN" 180 "$pid"; then
    tail -30 "$dir/n8n.log" >&2; record_fail regular "n8n start did not become ready"; rn_stop "$pid"; return
  fi
  rn_log "n8n ready in ${T[regular_ready]} ms"
  key=$(setup_owner_and_key "http://127.0.0.1:$P_MAIN" "$OWNER_EMAIL" "$OWNER_PASSWORD") || { record_fail regular "owner setup / API key"; rn_stop "$pid"; return; }
  (
    RN_BROKER_PORT=$P_MAIN_BROKER n8n_env "$home" "$P_MAIN"
    timed regular_scenarios run_scenarios regular "$SCENARIOS" "http://127.0.0.1:$P_MAIN" "http://127.0.0.1:$P_MAIN" \
      "http://127.0.0.1:$P_MAIN/" "$key" "$home"
  )
  case ",$SCENARIOS," in *,editor,*) timed regular_editor run_editor regular "http://127.0.0.1:$P_MAIN" "$key" ;; esac
  timed regular_restart restart_while_waiting "$key"
  timed regular_stop rn_stop "$(cat "$dir/n8n.pid")"
}

# ---------------------------------------------------------------- upgrade
# The package as released (E2E_UPGRADE_FROM, the commit of 0.1.0) runs workflows that use every node
# and operation; then this build replaces it as n8n's installer would, n8n restarts, and the same saved
# workflows and credentials run again (scenarios.mjs E2E_SAVED: "save", then "reuse"): same checks.
UPGRADE_FROM=${E2E_UPGRADE_FROM:-1f3e29f}
UPGRADE_SCENARIOS=${E2E_UPGRADE_SCENARIOS:-a,b,c,form,agent}
mode_upgrade() {
  local dir=$RUN/upgrade old key pid hook="http://127.0.0.1:$P_MAIN" phase from
  say "upgrade: the release at $UPGRADE_FROM, then this build, on one n8n (scenarios $UPGRADE_SCENARIOS)"
  old=$(pack_release "$UPGRADE_FROM") || { record_fail upgrade "cannot pack $UPGRADE_FROM"; return; }
  install_like_n8n "$dir/home" "$old" || { record_fail upgrade "cannot install $old"; return; }
  for phase in save reuse; do
    start_single_n8n "$dir" "n8n-$phase.log"
    pid=$(cat "$dir/n8n.pid")
    if ! wait_ready "$hook" 180 "$pid"; then
      tail -30 "$dir/n8n-$phase.log" >&2; record_fail "upgrade-$phase" "n8n did not become ready"; rn_stop "$pid"; return
    fi
    [ -n "${key:-}" ] || key=$(setup_owner_and_key "$hook" "$OWNER_EMAIL" "$OWNER_PASSWORD") \
      || { record_fail upgrade "owner setup / API key"; rn_stop "$pid"; return; }
    local version; version=$(node -p 'require(process.argv[1]).version' "$dir/home/.n8n/nodes/node_modules/$RN_PKG_NAME/package.json")
    mkdir -p "$RUN/upgrade-$version"
    ( RN_BROKER_PORT=$P_MAIN_BROKER n8n_env "$dir/home" "$P_MAIN"
      E2E_SAVED=$dir/saved.json E2E_SAVED_MODE=$phase run_scenarios "upgrade-$version" "$UPGRADE_SCENARIOS" "$hook" "$hook" "$hook/" "$key" "$dir/home" )
    rn_stop "$pid"
    if [ "$phase" = reuse ]; then
      # the same checks must pass with the saved workflows after the upgrade as before it
      node -e '
        const [f, before, after] = process.argv.slice(1);
        const rows = require("fs").readFileSync(f, "utf8").trim().split("\n").map(JSON.parse);
        const [b, a] = [before, after].map((l) => rows.find((r) => r.label === l) ?? { passed: -1, failed: -1 });
        console.log(`${b.passed} checks passed on ${before}, ${a.passed} on ${after}`);
        process.exit(a.passed === b.passed && !a.failed && !b.failed ? 0 : 1);
      ' "$RESULTS" "upgrade-$from" "upgrade-$version" > "$dir/compare.txt"
      record upgrade $? "the saved workflows give the same results after the upgrade: $(cat "$dir/compare.txt")"
      break
    fi
    from=$version
    say "upgrade: $RN_PKG_NAME $version -> this build, n8n restarted"
    install_like_n8n "$dir/home" "$PKG_TGZ" || { record_fail upgrade "cannot install this build over $version"; return; }
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

mode_queue() {
  local dir=$RUN/queue pid_main pid_worker pid_hook pid_redis key i
  say "queue mode: redis :$P_REDIS, PostgreSQL :$P_PG, n8n start :$P_MAIN, n8n worker, n8n webhook :$P_HOOK"
  if ! timed redis_install ensure_redis; then record_fail queue "redis-server is not installed and apt-get failed"; return; fi
  if ! timed postgres_start start_postgres "$dir/pg" "$P_PG"; then record_fail queue "PostgreSQL did not start (log: $dir/pg)"; return; fi
  rn_spawn redis "$dir/redis.log" redis-server --port "$P_REDIS" --bind 127.0.0.1 --save '' --appendonly no \
    --protected-mode yes --dir "$dir"
  pid_redis=$RN_LAST_PID
  for i in $(seq 1 50); do
    [ "$( (exec 3<>"/dev/tcp/127.0.0.1/$P_REDIS" && printf 'PING\r\n' >&3 && head -c 5 <&3) 2>/dev/null)" = "+PONG" ] && break
    sleep 0.1
  done
  [ "$i" -lt 50 ] || { record_fail queue "redis did not answer PING"; return; }

  (cd "$dir" && queue_env && rn_spawn "n8n start (queue main)" "$dir/main.log" "$N8N_BIN" start && echo "$RN_LAST_PID" > "$dir/main.pid")
  pid_main=$(cat "$dir/main.pid"); RN_PIDS+=("$pid_main")
  # the main process runs the migrations: let it finish before the others open the database
  if ! timed queue_main_ready wait_ready "http://127.0.0.1:$P_MAIN" 180 "$pid_main"; then
    tail -30 "$dir/main.log" >&2; record_fail queue "main did not become ready"; return
  fi
  (cd "$dir" && queue_env && export N8N_RUNNERS_BROKER_PORT=$P_WORKER_BROKER QUEUE_HEALTH_CHECK_ACTIVE=true \
    QUEUE_HEALTH_CHECK_PORT=$P_WORKER_HEALTH && rn_spawn "n8n worker" "$dir/worker.log" "$N8N_BIN" worker \
    && echo "$RN_LAST_PID" > "$dir/worker.pid")
  pid_worker=$(cat "$dir/worker.pid"); RN_PIDS+=("$pid_worker")
  (cd "$dir" && queue_env && export N8N_PORT=$P_HOOK N8N_RUNNERS_BROKER_PORT=$P_HOOK_BROKER \
    && rn_spawn "n8n webhook" "$dir/webhook.log" "$N8N_BIN" webhook && echo "$RN_LAST_PID" > "$dir/webhook.pid")
  pid_hook=$(cat "$dir/webhook.pid"); RN_PIDS+=("$pid_hook")
  if ! timed queue_worker_ready wait_ready "http://127.0.0.1:$P_WORKER_HEALTH" 180 "$pid_worker"; then
    tail -30 "$dir/worker.log" >&2; record_fail queue "worker did not become ready"; return
  fi
  if ! timed queue_webhook_ready wait_ready "http://127.0.0.1:$P_HOOK" 180 "$pid_hook"; then
    tail -30 "$dir/webhook.log" >&2; record_fail queue "webhook process did not become ready"; return
  fi
  rn_log "queue mode ready: main ${T[queue_main_ready]} ms, worker ${T[queue_worker_ready]} ms, webhook ${T[queue_webhook_ready]} ms"
  key=$(setup_owner_and_key "http://127.0.0.1:$P_MAIN" "$OWNER_EMAIL" "$OWNER_PASSWORD") || { record_fail queue "owner setup / API key"; return; }
  timed queue_scenarios run_scenarios queue "$QUEUE_SCENARIOS" "http://127.0.0.1:$P_MAIN" "http://127.0.0.1:$P_HOOK" \
    "http://127.0.0.1:$P_HOOK/" "$key" "$RUN/queue/home"
  # topology: which process enqueued and which ran each execution (from the process logs; results
  # came from the API). Production webhooks reach only the webhook process
  # (N8N_DISABLE_PRODUCTION_MAIN_PROCESS), so the main process must enqueue none of them.
  node "$HERE/queue-topology.mjs" "$dir/main.log" "$dir/webhook.log" "$dir/worker.log" > "$dir/topology.txt"
  local topology=$?
  sed '$d' "$dir/topology.txt"
  record queue-topology $topology "$(tail -1 "$dir/topology.txt")"
  local t; t=$(rn_now_ms)
  rn_stop "$pid_hook"; rn_stop "$pid_worker"; rn_stop "$pid_main"; rn_stop "$pid_redis"
  T[queue_stop]=$(($(rn_now_ms) - t))
}

mkdir -p "$RUN/regular" "$RUN/queue" "$RUN/upgrade"
case ",$MODES," in *,regular,*) mode_regular ;; esac
case ",$MODES," in *,upgrade,*) mode_upgrade ;; esac
case ",$MODES," in *,queue,*) mode_queue ;; esac

# ---------------------------------------------------------------- report
rn_stop "$FAKE_LLM_PID"; rn_stop "$SIM_PID"
# n8n unpacks its editor's bundles into each user folder (~700 minified files): drop them, so that
# ESLint (`npm run lint`, which covers the repository) does not wade through them after a run
find "$RUN" -path '*/home/.cache' -prune -exec rm -rf {} + 2>/dev/null
say "summary"
WALL=$(($(rn_now_ms) - T_START))
echo "timings (ms):"
for k in "${!T[@]}"; do printf '  %-22s %8s\n' "$k" "${T[$k]}"; done | sort
N8N_MARKER=$(rn_n8n_dir)/.installed-$RN_N8N_VERSION
[ -f "$N8N_MARKER" ] && sed "s/^/  n8n $RN_N8N_VERSION install record: /" "$N8N_MARKER"
echo "logs: $RUN"
TOTALS=$(node -e '
  const fs = require("fs"); const f = process.argv[1];
  const rows = fs.existsSync(f) ? fs.readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse) : [];
  const t = rows.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
  for (const r of rows) console.error(`  ${r.label}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  if (!rows.length) t.failed = 1;
  console.log(`${t.passed} ${t.failed} ${t.skipped}`);
' "$RESULTS")
read -r NP NF NS <<< "$TOTALS"
echo "wall time: $((WALL / 1000)) s"
echo "e2e: $NP passed, $NF failed, $NS skipped"
[ "$NF" = 0 ]
