#!/usr/bin/env bash
# Installs Debian's Chromium for the screenshot script (needs root; the machines reach Debian's
# package mirrors). Playwright's own browser download does not work offline, so playwright-core
# drives this system Chromium instead.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
	echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null)"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-chromium: run as root (apt-get install chromium), or set CHROMIUM_PATH to an installed Chromium" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium
/usr/bin/chromium --version
