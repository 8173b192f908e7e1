#!/usr/bin/env bash
# install-queue-services.sh — PostgreSQL and Redis for the n8n queue-mode tests (docs/queue-mode.md).
#
#   scripts/install-queue-services.sh           install what is missing, then print the versions
#   scripts/install-queue-services.sh --check   only check; exit 1 if something is missing
#
# Idempotent: when `postgres`, `initdb`, `pg_ctl` and `redis-server` are all found it installs
# nothing (about 0.1 s). Otherwise, as root on Debian/Ubuntu, it runs
# `apt-get update && apt-get install -y postgresql redis-server`. No system service is enabled
# or started: the test harness (test/e2e/support/queue.ts) starts a private PostgreSQL and a
# private redis-server per run on free loopback ports, and kills them when it stops.
#
# stdout: one line `POSTGRES_BIN=<dir> REDIS_SERVER=<path>` (what the harness looks for too).
# stderr: progress and versions. Exit 0 = both usable, 1 = missing and could not install, 2 = usage.
set -euo pipefail

say() { printf 'install-queue-services: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

CHECK_ONLY=0
case "${1:-}" in
  '') ;;
  --check) CHECK_ONLY=1 ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# PostgreSQL server binaries: PATH first (some images link them into /usr/local/bin), then
# Debian's versioned directories, newest first.
find_pg_bin() {
  local dir
  if command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dir=$(dirname "$(readlink -f "$(command -v postgres)")")
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then printf '%s\n' "$dir"; return 0; fi
    dirname "$(command -v postgres)"; return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
    if [[ -x "$dir/postgres" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then printf '%s\n' "$dir"; return 0; fi
  done
  return 1
}

find_redis() {
  if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return 0; fi
  [[ -x /usr/bin/redis-server ]] && { printf '%s\n' /usr/bin/redis-server; return 0; }
  return 1
}

missing=()
PG_BIN=$(find_pg_bin) || missing+=(postgresql)
REDIS=$(find_redis) || missing+=(redis-server)

if ((${#missing[@]})); then
  ((CHECK_ONLY)) && die "missing: ${missing[*]} (run scripts/install-queue-services.sh)"
  [[ $(id -u) == 0 ]] || die "missing: ${missing[*]}; installing needs root (sudo $0), or install the Debian packages '${missing[*]}' yourself"
  command -v apt-get >/dev/null 2>&1 || die "missing: ${missing[*]}; no apt-get on this machine: install PostgreSQL (server) and redis-server by other means"
  say "installing ${missing[*]} with apt-get (no service is enabled or started)"
  # Debian's maintainer scripts call invoke-rc.d, which asks /usr/sbin/policy-rc.d: exit 101 =
  # "do not start". Put one in place only for the install if the machine has none.
  policy_added=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# added by n8n-nodes-ponto install-queue-services.sh for the duration of an apt-get install\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  log=$(mktemp -t install-queue-services.XXXXXX.log)
  if ! DEBIAN_FRONTEND=noninteractive apt-get update >"$log" 2>&1 ||
     ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "apt-get could not install ${missing[*]} (full log: $log)"
  fi
  rm -f "$log"
  if ((policy_added)); then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  # Belt and braces where systemd runs: the packages' units must not stay enabled.
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    systemctl disable --now postgresql redis-server >/dev/null 2>&1 || true
  fi
  PG_BIN=$(find_pg_bin) || die "postgresql was installed but no postgres/initdb/pg_ctl was found"
  REDIS=$(find_redis) || die "redis-server was installed but not found"
fi

say "$("$PG_BIN/postgres" --version) ($PG_BIN)"
say "$("$REDIS" --version | cut -d' ' -f1-3) ($REDIS)"
# PostgreSQL refuses to run as root; the harness then runs initdb and postgres as the OS user
# 'postgres' (spawn uid/gid). Debian's package creates that user; binaries from elsewhere may not.
if [[ $(id -u) == 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    ((CHECK_ONLY)) && die "running as root and there is no OS user 'postgres' for PostgreSQL (run $0 without --check)"
    say "creating the system user 'postgres' (PostgreSQL refuses to run as root)"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres ||
      die "could not create the OS user 'postgres'"
  fi
  say "running as root: the harness starts PostgreSQL as OS user 'postgres'"
fi
printf 'POSTGRES_BIN=%q REDIS_SERVER=%q\n' "$PG_BIN" "$REDIS"
