#!/usr/bin/env bash
# Installs what the editor tests need, only what is missing, from the package
# registries alone: Neovim (Debian package) for tests/neovim.rs, valgrind
# (Debian package) for the performance regression check, and the VS Code
# extension's npm packages (`npm ci`, pinned by package-lock.json). Running it
# again changes nothing.
#
# Usage: scripts/install-test-deps.sh   (from anywhere)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

if command -v nvim >/dev/null 2>&1; then
  echo "Neovim present: $(nvim --version | head -n 1)"
else
  echo "==> installing Neovim (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q </dev/null
  $sudo apt-get install -y -q --no-install-recommends neovim </dev/null
fi

# valgrind runs the performance regression check (bench/callgrind-check.sh).
if command -v valgrind >/dev/null 2>&1; then
  echo "valgrind present: $(valgrind --version)"
else
  echo "==> installing valgrind (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q </dev/null
  $sudo apt-get install -y -q --no-install-recommends valgrind </dev/null
fi

vscode=editors/vscode
if [ -f "$vscode/package-lock.json" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: install Node.js 20 or newer with npm (Debian packages nodejs and npm)" >&2
    exit 1
  fi
  # npm ci wipes node_modules; skip it when the installed tree already
  # matches the lock file.
  stamp="$vscode/node_modules/.installed-package-lock.json"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$vscode/package-lock.json"; then
    echo "VS Code extension: npm packages up to date"
  else
    echo "==> VS Code extension: npm ci"
    (cd "$vscode" && npm ci --no-audit --no-fund </dev/null)
    cp "$vscode/package-lock.json" "$stamp"
  fi
fi
