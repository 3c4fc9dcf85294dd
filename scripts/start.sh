#!/usr/bin/env bash
# `npm start`: a real n8n with this package installed, a credential and a ready demo workflow.
#
#   npm ci && npm start
#
# - builds the package and installs it into a real n8n (n8n@2.41.1 on Node 24, both fetched from the
#   npm registry into .e2e/ on first use, ~5-8 min on 2 cores; cached afterwards),
# - without EVOLINK_API_KEY: starts the bundled EvoLink simulator on 127.0.0.1:5680 (key demo-key,
#   tasks take ~20 s) and points the credential at it; with EVOLINK_API_KEY: uses https://api.evolink.ai
#   (override with EVOLINK_BASE_URL),
# - imports the credential "EvoLink API" and examples/demo-create-and-wait.json,
# - runs `n8n start` on 0.0.0.0:5678 (N8N_PORT, N8N_HOST, N8N_LISTEN_ADDRESS override), creates the
#   owner account and prints the URL and login; stays in the foreground until Ctrl-C, then stops
#   everything it started.
#
# State (database, owner, your edits) lives in .e2e/start/ and survives restarts; the demo workflow is
# imported on the first start and again when examples/demo-create-and-wait.json changed (or with
# START_RESET_DEMO=1), the credential at every start.
set -euo pipefail

# shellcheck source=scripts/real-n8n.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/real-n8n.sh"
rn_init

PORT=${N8N_PORT:-5678}
PUBLIC_HOST=${N8N_HOST:-localhost}
LISTEN=${N8N_LISTEN_ADDRESS:-0.0.0.0}
SIM_PORT=${SIM_PORT:-5680}
SIM_TASK_MS=${SIM_TASK_MS:-20000}
OWNER_EMAIL=${START_OWNER_EMAIL:-owner@example.com}
OWNER_PASSWORD=${START_OWNER_PASSWORD:-WanDemo-2026}   # n8n: 8-64 chars, a digit and an uppercase letter
STATE=$RN_E2E/start
HOME_DIR=$STATE/home
CRED_ID=evoLinkDemoCred01
WF_ID=wanVideoDemo00001
DEMO=$RN_REPO/examples/demo-create-and-wait.json

for p in "$PORT" "$((PORT + 1))"; do
  rn_port_free "$p" || rn_die "port $p is in use (n8n needs $PORT and its task-runner broker $((PORT + 1))); set N8N_PORT"
done

T0=$(rn_now_ms)
ensure_node24
ensure_n8n
mkdir -p "$STATE"

# ---------------------------------------------------------------- EvoLink: real API or simulator
if [ -n "${EVOLINK_API_KEY:-}" ]; then
  MODE=real
  API_KEY=$EVOLINK_API_KEY
  BASE_URL=${EVOLINK_BASE_URL:-https://api.evolink.ai}
  FILES_URL=${EVOLINK_FILES_URL:-https://files-api.evolink.ai}
else
  MODE=simulator
  API_KEY=demo-key
  [ -f "$RN_REPO/test/simulator/cli.js" ] || rn_die "test/simulator/cli.js is missing; set EVOLINK_API_KEY to use the real API"
  rn_port_free "$SIM_PORT" || rn_die "port $SIM_PORT (simulator) is in use; set SIM_PORT"
  rn_spawn simulator "$STATE/simulator.log" node "$RN_REPO/test/simulator/cli.js" \
    --port "$SIM_PORT" --host 127.0.0.1 --key "$API_KEY" --task-ms "$SIM_TASK_MS"
  SIM_PID=$RN_LAST_PID
  BASE_URL=$(rn_base_url "$STATE/simulator.log" "$SIM_PID")
  [ -n "$BASE_URL" ] || { cat "$STATE/simulator.log" >&2; rn_die "the simulator did not start (log: $STATE/simulator.log)"; }
  FILES_URL=$BASE_URL   # the simulator serves EvoLink's file API too
fi

# ---------------------------------------------------------------- n8n + package + fixtures
RN_LISTEN=$LISTEN RN_PUBLIC_HOST=$PUBLIC_HOST n8n_env "$HOME_DIR" "$PORT"
[ -n "${N8N_ENCRYPTION_KEY:-}" ] || unset N8N_ENCRYPTION_KEY   # n8n generates one in .e2e/start/home/.n8n/config
install_package "$HOME_DIR"

mkdir -p "$STATE/fixtures"
node -e '
  const [credFile, id, baseUrl, filesBaseUrl, apiKey] = process.argv.slice(1);
  require("fs").writeFileSync(credFile, JSON.stringify([{ id, name: "EvoLink API", type: "evoLinkApi",
    data: { apiKey, baseUrl, filesBaseUrl } }], null, 2), { mode: 0o600 });
' "$STATE/fixtures/credentials.json" "$CRED_ID" "$BASE_URL" "$FILES_URL" "$API_KEY"
cd "$STATE"   # n8n reads ./.env: run it from a folder of ours
rn_log "importing credential \"EvoLink API\" ($MODE: $BASE_URL)"
"$N8N_BIN" import:credentials --input="$STATE/fixtures/credentials.json" > "$STATE/import.log" 2>&1 \
  || { cat "$STATE/import.log" >&2; rn_die "n8n import:credentials failed"; }
rm -f "$STATE/fixtures/credentials.json"
DEMO_SUM=$(sha256sum "$DEMO" | cut -c1-16)
if [ "$(cat "$STATE/.demo-imported" 2>/dev/null)" != "$DEMO_SUM" ] || [ "${START_RESET_DEMO:-0}" = 1 ]; then
  rn_log "importing the demo workflow ($DEMO)"
  "$N8N_BIN" import:workflow --input="$DEMO" >> "$STATE/import.log" 2>&1 \
    || { cat "$STATE/import.log" >&2; rn_die "n8n import:workflow failed"; }
  echo "$DEMO_SUM" > "$STATE/.demo-imported"
fi

# ---------------------------------------------------------------- n8n start
rn_spawn n8n "$STATE/n8n.log" "$N8N_BIN" start
N8N_PID=$RN_LAST_PID
LOCAL_BASE=http://127.0.0.1:$PORT
[ "$LISTEN" = 0.0.0.0 ] || [ "$LISTEN" = 127.0.0.1 ] || LOCAL_BASE=http://$LISTEN:$PORT
wait_ready "$LOCAL_BASE" 180 "$N8N_PID" || { tail -40 "$STATE/n8n.log" >&2; rn_die "n8n did not become ready"; }
# owner + public API key: made on the first start, reused afterwards
API_KEY_N8N=$(cat "$STATE/api-key.txt" 2>/dev/null || true)
if [ -z "$API_KEY_N8N" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-N8N-API-KEY: $API_KEY_N8N" \
    "$LOCAL_BASE/api/v1/workflows?limit=1")" != 200 ]; then
  API_KEY_N8N=$(setup_owner_and_key "$LOCAL_BASE" "$OWNER_EMAIL" "$OWNER_PASSWORD") \
    || rn_die "could not create or log in the owner $OWNER_EMAIL (changed password? delete .e2e/start to start over)"
  (umask 077 && printf '%s\n' "$API_KEY_N8N" > "$STATE/api-key.txt")
fi

URL=http://$PUBLIC_HOST:$PORT
cat <<EOF

  n8n $RN_N8N_VERSION is running with n8n-nodes-wan-video ($((($(rn_now_ms) - T0) / 1000)) s to start)

    Open       $URL/workflow/$WF_ID
    Log in     $OWNER_EMAIL  /  $OWNER_PASSWORD
    EvoLink    $( [ "$MODE" = real ] && echo "real API ($BASE_URL)" || echo "simulator at $BASE_URL (key demo-key; a video takes ~$((SIM_TASK_MS / 1000)) s)")

  In the workflow "Wan Video: create and wait", click "Execute workflow". Wan Video creates a
  Wan 3.0 image-to-video task, waits for it and downloads the MP4: open the node's output, Binary
  tab, to play it.$( [ "$MODE" = simulator ] && printf '%s' "
  The simulator makes no real video: every task's file is the same 3-second test pattern with a
  tone (test/fixtures/demo.mp4), whatever the prompt and image.")
  Credential: "EvoLink API" (Overview > Credentials).
  Public API key for scripts: .e2e/start/api-key.txt (header X-N8N-API-KEY).
  Logs: .e2e/start/n8n.log$( [ "$MODE" = simulator ] && echo ", .e2e/start/simulator.log"). Ctrl-C stops everything.

EOF

# stay in the foreground; Ctrl-C (INT) runs the EXIT trap, which stops n8n and the simulator
set +e
wait "$N8N_PID"
rc=$?
rn_log "n8n exited ($rc); see $STATE/n8n.log"
exit "$rc"
