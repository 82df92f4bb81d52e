#!/usr/bin/env bash
# Installs what the benchmark scripts use, only what is missing:
#   hyperfine (Debian)   times whole commands over repeated runs
#   time      (Debian)   /usr/bin/time -v for peak RSS
#   valgrind  (Debian)   callgrind instruction counts (the CI regression check)
#   agnix     (PyPI)     the peer linter, pinned, compared side by side
#   matplotlib (PyPI)    the plots in docs/
#
# Usage: bench/install-tools.sh [--no-peer] [--no-plot]
set -euo pipefail

AGNIX_VERSION="${AGNIX_VERSION:-0.59.3}"
want_peer=1
want_plot=1
for arg in "$@"; do
  case "$arg" in
    --no-peer) want_peer=0 ;;
    --no-plot) want_plot=0 ;;
    *) echo "usage: $0 [--no-peer] [--no-plot]" >&2; exit 2 ;;
  esac
done

missing=()
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q </dev/null
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

python="${PYTHON:-python3}"
if [ "$want_peer" = 1 ]; then
  if ! command -v agnix >/dev/null 2>&1 || ! agnix --version 2>/dev/null | grep -q "$AGNIX_VERSION"; then
    echo "==> pip install agnix==$AGNIX_VERSION"
    "$python" -m pip install -q "agnix==$AGNIX_VERSION"
  fi
fi
if [ "$want_plot" = 1 ]; then
  if ! "$python" -c 'import matplotlib' >/dev/null 2>&1; then
    echo "==> pip install matplotlib"
    "$python" -m pip install -q matplotlib
  fi
fi
