#!/usr/bin/env bash
# Installs the validators the statement-file tests run (test/unit/statement), from Debian:
#   xmllint       (libxml2-utils)         CAMT.053 against the ISO camt.053.001.02 schema
#   ofxdump       (ofx, from libofx)      parses the OFX 1.0.2 and 2.x files
#   febelfin-coda (python3-febelfin-coda) parses the CODA files with /usr/bin/python3
# Idempotent: installs only what is missing (apt-get update + install, as root or with sudo),
# prints the versions, exits non-zero with the reason when it cannot.
set -euo pipefail

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
		echo "install-test-tools: apt-get not found; install the Debian/Ubuntu packages ${missing[*]} by other means." >&2
		exit 1
	fi
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=()
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO=(sudo -n)
	else
		echo "install-test-tools: not root and no password-less sudo; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	if ! "${SUDO[@]}" apt-get update -qq; then
		echo "install-test-tools: apt-get update failed (no network or no Debian mirror?)" >&2
		exit 1
	fi
	if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
		echo "install-test-tools: apt-get could not install ${missing[*]}" >&2
		exit 1
	fi
fi

has_xmllint || { echo "install-test-tools: xmllint still missing after installing libxml2-utils" >&2; exit 1; }
has_ofxdump || { echo "install-test-tools: ofxdump still missing after installing ofx" >&2; exit 1; }
has_coda || { echo "install-test-tools: /usr/bin/python3 cannot import coda after installing python3-febelfin-coda" >&2; exit 1; }

version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
echo "xmllint: $(xmllint --version 2>&1 | head -n 1) (libxml2-utils $(version libxml2-utils))"
echo "ofxdump: $(ofxdump --version 2>&1 | head -n 1) (ofx $(version ofx))"
echo "febelfin-coda: $(/usr/bin/python3 -c 'import coda; print(coda.__version__)') (python3-febelfin-coda $(version python3-febelfin-coda), $(/usr/bin/python3 --version))"
