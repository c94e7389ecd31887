#!/usr/bin/env bash
# Chromium for the web page's browser tests (web/test/browser.test.ts), which drive Debian's
# chromium package through playwright-core; under CI they fail when it is missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --version 2>/dev/null || echo "chromium is installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version
