#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, only when missing:
#   chromium      Debian package (browser end-to-end tests, via playwright-core)
#   redis-server  Debian package (cluster tests start their own on a free port)
# k6 is NOT installed here: the k6 smoke test runs the bundled scripts through our Node
# runtime (loadtest/runtime/), and also through real k6 when `k6` is already on PATH.
# Run as root (CI) or with sudo available. Prints one clear line per problem.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need_apt+=(redis-server)

if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "setup: missing ${need_apt[*]}: run 'apt-get install -y ${need_apt[*]}' as root" >&2
      exit 1
    fi
  fi
  echo "setup: installing ${need_apt[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if command -v k6 >/dev/null 2>&1; then
  k6_line="$(k6 version 2>/dev/null | head -1) on PATH (the smoke test also runs it)"
else
  k6_line="no k6 on PATH (the smoke test runs the bundles through loadtest/runtime only)"
fi
echo "setup: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), ${k6_line}"
