#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, only when missing, and caches it:
#   chromium      Debian package (browser end-to-end tests, via playwright-core)
#   redis-server  Debian package (cluster tests start their own on a free port)
#   k6            built from source with Go into .tools/bin (git-ignored, reused)
# Run as root (CI) or with sudo available. Prints one clear line per problem.
set -euo pipefail
cd "$(dirname "$0")/.."

K6_MODULE="go.k6.io/k6"
K6_VERSION="v1.8.1" # pinned: the newest release on the Go module proxy (no v2 module is published there)
TOOLS_BIN="$PWD/.tools/bin"

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

if [ ! -x "$TOOLS_BIN/k6" ] || ! "$TOOLS_BIN/k6" version 2>/dev/null | grep -q "${K6_VERSION}"; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup: Go is missing: install Go ≥ 1.23 (https://go.dev/dl) so k6 can be built into .tools/bin" >&2
    exit 1
  fi
  echo "setup: building k6 ${K6_VERSION} into .tools/bin (first run only; takes a few minutes)"
  mkdir -p "$TOOLS_BIN"
  GOBIN="$TOOLS_BIN" GOFLAGS=-buildvcs=false go install "${K6_MODULE}@${K6_VERSION}"
fi
echo "setup: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), $("$TOOLS_BIN/k6" version 2>/dev/null | head -1)"
