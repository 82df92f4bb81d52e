#!/usr/bin/env bash
# Installs what the editor tests need, only what is missing, from the package
# registries alone: Neovim (Debian package) for tests/neovim.rs, valgrind
# (Debian package) for the performance regression check, Graphviz (Debian
# package) for `skill-lsp graph --format svg` in tests/features.rs, and the VS Code
# extension's npm packages (`npm ci`, pinned by package-lock.json). Running it
# again changes nothing.
#
# Usage: scripts/install-test-deps.sh   (from anywhere)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# Installs the Debian package $2 unless the command $1 is on PATH; $3 names
# it in messages; $4 is the flag printing its version (default --version).
install_if_missing() {
  local cmd=$1 package=$2 label=$3 version_flag=${4:---version}
  if command -v "$cmd" >/dev/null 2>&1; then
    echo "$label present: $("$cmd" "$version_flag" 2>&1 | head -n 1)"
  else
    echo "==> installing $label (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q </dev/null
    $sudo apt-get install -y -q --no-install-recommends "$package" </dev/null
  fi
}

install_if_missing nvim neovim Neovim
# valgrind runs the performance regression check (bench/callgrind-check.sh).
install_if_missing valgrind valgrind valgrind
# Graphviz's dot renders `skill-lsp graph --format svg` (optional for users).
install_if_missing dot graphviz Graphviz -V

# Python virtual environments: scripts/test-packages.sh installs the wheel
# into a fresh one (Debian ships venv's pip apart from Python).
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  echo "==> installing python3-venv (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q </dev/null
  $sudo apt-get install -y -q --no-install-recommends python3-venv </dev/null
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

# The real editors scripts/test-editors.sh drives: Neovim 0.11 and 0.12,
# code-server, Chromium and Playwright (see that script).
bash scripts/install-editor-deps.sh
