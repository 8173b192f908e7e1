#!/usr/bin/env bash
# Installs the third-party statement readers that `npm run test:e2e` runs
# (test/e2e/statementReaders.e2e.test.ts, statements.e2e.test.ts), from Debian:
#   xmllint       (libxml2-utils)         CAMT.053 against the ISO camt.053.001.02 schema
#   ofxdump       (ofx, from libofx)      parses the OFX 1.0.2 and 2.x files
#   febelfin-coda (python3-febelfin-coda) parses the CODA files with /usr/bin/python3
# Called explicitly by `npm run test:e2e` and by .ci/run (npm lifecycle hooks never run here:
# .npmrc sets ignore-scripts=true). `npm test` needs none of them.
# Idempotent: installs only what is missing (apt-get update + install, as root or with sudo) and
# prints the versions. When it cannot install (no apt-get, not root, no network): in CI (CI=true)
# it fails with the reason; elsewhere it prints one line saying how to install them and exits 0,
# and the reader tests skip themselves.
set -euo pipefail

give_up() {
	if [ "${CI:-}" = "true" ]; then
		echo "install-test-tools: $*" >&2
		exit 1
	fi
	echo "install-test-tools: $* (statement reader e2e tests will be skipped)" >&2
	exit 0
}

has_xmllint() { command -v xmllint >/dev/null 2>&1; }
has_ofxdump() { command -v ofxdump >/dev/null 2>&1; }
has_coda() { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import coda' >/dev/null 2>&1; }

missing=()
has_xmllint || missing+=(libxml2-utils)
has_ofxdump || missing+=(ofx)
has_coda || missing+=(python3-febelfin-coda)

if ((${#missing[@]})); then
	echo "install-test-tools: installing ${missing[*]}"
	if ! command -v apt-get >/dev/null 2>&1; then
		give_up "apt-get not found; install the Debian/Ubuntu packages ${missing[*]} (or xmllint, libofx's ofxdump and python febelfin-coda) by other means"
	fi
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=()
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO=(sudo -n)
	else
		give_up "not root and no password-less sudo; run: sudo bash scripts/install-test-tools.sh"
	fi
	if ! "${SUDO[@]}" apt-get update -qq; then
		give_up "apt-get update failed (no network or no Debian mirror?)"
	fi
	if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
		give_up "apt-get could not install ${missing[*]}"
	fi
fi

has_xmllint || give_up "xmllint still missing after installing libxml2-utils"
has_ofxdump || give_up "ofxdump still missing after installing ofx"
has_coda || give_up "/usr/bin/python3 cannot import coda after installing python3-febelfin-coda"

version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
echo "xmllint: $(xmllint --version 2>&1 | head -n 1) (libxml2-utils $(version libxml2-utils))"
echo "ofxdump: $(ofxdump --version 2>&1 | head -n 1) (ofx $(version ofx))"
echo "febelfin-coda: $(/usr/bin/python3 -c 'import coda; print(coda.__version__)') (python3-febelfin-coda $(version python3-febelfin-coda), $(/usr/bin/python3 --version))"
