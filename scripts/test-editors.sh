#!/usr/bin/env bash
# The editor clients in real editors (what scripts/install-editor-deps.sh
# installed):
#
#   - tests/neovim.rs on real Neovim 0.11 and 0.12 (`cargo test --workspace`
#     runs it on Debian's 0.7.2, the `nvim` on PATH);
#   - Emacs 28 with eglot (Debian), configured as docs/editors.md says, by
#     tests/emacs/eglot-test.el;
#   - the VS Code extension's .vsix installed into code-server (VS Code 1.139)
#     and driven through its web UI by tests/vscode/e2e.py; screenshots of
#     each step go to target/vscode-e2e/.
#
# Usage: scripts/test-editors.sh [neovim|emacs|vscode]...   (default: all three)
# SKILL_LSP_SKIP_VSCODE_E2E=1 leaves VS Code out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
# shellcheck source=scripts/editor-deps.env
. scripts/editor-deps.env

suites=("$@")
[ "${#suites[@]}" -gt 0 ] || suites=(neovim emacs vscode)
failed=()

neovim() {
  local version binary
  for version in 0.11 0.12; do
    binary=$NVIM_011
    [ "$version" = 0.12 ] && binary=$NVIM_012
    if [ ! -x "$binary" ]; then
      echo "Neovim $version not installed at $binary (scripts/install-editor-deps.sh installs it)" >&2
      failed+=("neovim $version")
      continue
    fi
    echo "==> tests/neovim.rs on $("$binary" --version | head -n 1)"
    SKILL_LSP_NVIM=$binary SKILL_LSP_NVIM_VERSION=$version \
      cargo test -p skill-lsp --locked --test neovim || failed+=("neovim $version")
  done
}

# Picks a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The corpus's skills root in $1: its interfaces and context, and the
# typescript skill missing its step 5 (SK102, with a fix). Sets $forge.
skills_root() {
  local dest=$1 corpus=${SKILL_LSP_CORPUS:-}
  [ -n "$corpus" ] || { [ -d ../shared/corpus ] && corpus=$root/../shared/corpus; } || true
  [ -n "$corpus" ] || corpus=/work/shared/corpus
  forge=$corpus/forge/forge-plugin
  mkdir -p "$dest/skills/typescript"
  cp -r "$forge/interfaces" "$forge/context" "$dest/"
  python3 - "$forge/skills/typescript/SKILL.md" "$dest/skills/typescript/SKILL.md" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
# Cut the "### Step 5" section, up to the next heading.
cut = re.sub(r"### Step 5:.*?(?=\n#)", "", text, count=1, flags=re.S)
assert cut != text, "no Step 5 in the corpus skill"
open(sys.argv[2], "w").write(cut)
EOF
}

# Emacs 28 with eglot (Debian), configured as docs/editors.md says, driven
# in batch mode by tests/emacs/eglot-test.el.
emacs_suite() {
  if ! command -v emacs >/dev/null 2>&1; then
    echo "Emacs not installed (scripts/install-editor-deps.sh installs it)" >&2
    failed+=("emacs")
    return
  fi
  echo "==> tests/emacs/eglot-test.el on $(emacs --version | head -n 1)"
  cargo build -p skill-lsp --locked --quiet
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/skill-lsp-emacs.XXXXXX")
  skills_root "$work/skills-root"
  # HOME apart: no user init, no eglot state from elsewhere.
  HOME=$work EGLOT_TEST_DOCS=$root/docs/editors.md EGLOT_TEST_SKILL=$work/skills-root/skills/typescript/SKILL.md \
    EGLOT_TEST_SKILL_LSP=$root/target/debug/skill-lsp \
    timeout 300 emacs --batch -l tests/emacs/eglot-test.el || failed+=("emacs")
  rm -rf "$work"
}

vscode() {
  if [ "${SKILL_LSP_SKIP_VSCODE_E2E:-}" = 1 ]; then
    echo "SKILL_LSP_SKIP_VSCODE_E2E=1: VS Code end to end left out"
    return 0
  fi
  local vsix=editors/vscode/skill-lsp.vsix
  echo "==> VS Code end to end: building the server and the .vsix"
  cargo build -p skill-lsp --locked --quiet
  (cd editors/vscode && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run --silent package >/dev/null)
  local server=$root/target/debug/skill-lsp
  local work shots port
  work=$(mktemp -d "${TMPDIR:-/tmp}/skill-lsp-vscode-e2e.XXXXXX")
  shots=$root/target/vscode-e2e
  rm -rf "$shots"
  mkdir -p "$shots" "$work/data/User" "$work/empty" "$work/alone" "$work/own/.vscode" "$work/own/skills/no-description"

  skills_root "$work/skills-root"
  # Workspace settings, edited in VS Code by the settings steps.
  mkdir -p "$work/skills-root/.vscode"
  echo '{}' >"$work/skills-root/.vscode/settings.json"
  # A skill on its own, its name not its folder's: opened in a window with no folder.
  sed 's/^name: typescript$/name: type-script/' "$forge/skills/typescript/SKILL.md" >"$work/alone/SKILL.md"
  # A skill with no description, which VS Code's own skill checks report too.
  printf -- '---\nname: no-description\n---\n\n# No description\n\nRead the notes and write a summary.\n' \
    >"$work/own/skills/no-description/SKILL.md"
  echo '{}' >"$work/own/.vscode/settings.json"

  # The server path comes from the User settings (skill-lsp is not on
  # code-server's PATH): a wrapper that logs what VS Code sends the server.
  cat >"$work/skill-lsp-logged" <<EOF
#!/bin/sh
exec tee -a "$work/protocol.log" | "$server" "\$@"
EOF
  chmod +x "$work/skill-lsp-logged"
  cat >"$work/data/User/settings.json" <<EOF
{
  "skillLsp.server.path": "$work/skill-lsp-logged",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "update.mode": "none",
  "files.autoSave": "off",
  "editor.autoClosingBrackets": "never",
  "editor.autoClosingQuotes": "never",
  "editor.quickSuggestions": { "other": true, "comments": true, "strings": true }
}
EOF

  # code-server writes a default config file where none is given: keep it in $work.
  local cs=("$CODE_SERVER" --config "$work/config.yaml" --user-data-dir "$work/data" --extensions-dir "$work/extensions")
  echo "==> installing $vsix into code-server $CODE_SERVER_VERSION"
  PATH="$(dirname "$NODE24"):$PATH" "${cs[@]}" --install-extension "$vsix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; failed+=("vscode (install)"); return; }

  port=$(free_port)
  # Its own process group (setsid), bound to the loopback address only; no
  # skill-lsp on its PATH.
  PATH="$(dirname "$NODE24"):/usr/local/bin:/usr/bin:/bin" setsid "${cs[@]}" \
    --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override \
    >"$work/code-server.log" 2>&1 </dev/null &
  local group=$!
  # shellcheck disable=SC2064
  trap "kill -TERM -- -$group 2>/dev/null || true" EXIT
  local up=""
  for _ in $(seq 1 240); do
    if python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
      "http://127.0.0.1:$port/healthz" 2>/dev/null; then up=1; break; fi
    sleep 0.5
  done
  if [ -z "$up" ]; then
    cat "$work/code-server.log"
    failed+=("vscode (code-server did not start)")
  else
    echo "==> driving code-server at http://127.0.0.1:$port (screenshots: $shots)"
    E2E_URL="http://127.0.0.1:$port" E2E_WORKSPACE="$work/skills-root" E2E_EMPTY="$work/empty" E2E_ALONE="$work/alone" E2E_OWN="$work/own" \
      E2E_SETTINGS="$work/data/User/settings.json" E2E_PROTOCOL="$work/protocol.log" \
      E2E_STEPS="${E2E_STEPS:-}" E2E_SKILL_LSP="$server" E2E_SHOTS="$shots" E2E_CHROMIUM="$(command -v chromium)" \
      PYTHONPATH="$PLAYWRIGHT_DIR" python3 tests/vscode/e2e.py || failed+=("vscode")
  fi
  kill -TERM -- "-$group" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$group" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$group" 2>/dev/null || true
  trap - EXIT
  cp "$work/code-server.log" "$work/protocol.log" "$shots/" 2>/dev/null || true
  rm -rf "$work"
}

for suite in "${suites[@]}"; do
  case "$suite" in
    neovim) neovim ;;
    emacs) emacs_suite ;;
    vscode) vscode ;;
    *) echo "unknown suite $suite (neovim, emacs, vscode)" >&2; exit 2 ;;
  esac
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "real-editor suites FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "real-editor suites passed"
