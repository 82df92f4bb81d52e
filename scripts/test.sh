#!/usr/bin/env bash
# Runs every check of skill-lsp: formatting (rustfmt), lints (clippy, warnings
# are errors), and every test: the Rust workspace (unit tests, rule fixtures,
# end-to-end tests of the binary, the language server and Neovim) and, when
# present, the VS Code extension's tests.
#
# Usage: scripts/test.sh   (from anywhere; it works from the repository root)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

# Every suite runs even when an earlier one fails; the status says whether all passed.
failed=()

# Test dependencies (Neovim, the extension's npm packages), when the project
# provides an installer for them.
if [ -f scripts/install-test-deps.sh ]; then
  step "installing test dependencies"
  bash scripts/install-test-deps.sh
fi

# Formatting and lints first: cheap, and CI holds every change to them.
step "cargo fmt --all --check"
cargo fmt --all --check || failed+=("cargo fmt")

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings || failed+=("cargo clippy")

# --no-fail-fast: one failing test binary must not hide the others' results.
step "cargo test --workspace --locked"
cargo test --workspace --locked --no-fail-fast || failed+=("cargo test")

# The performance regression check: instructions executed by `skill-lsp check`
# on fixed inputs, under callgrind, against bench/callgrind-baseline.txt. It
# reuses the debug binary the tests just built and takes well under a minute;
# counts, unlike timings, do not depend on what else the machine runs.
if command -v valgrind >/dev/null 2>&1 && [ -f bench/callgrind-check.sh ]; then
  step "performance regression check (callgrind instruction counts)"
  # Status 2: cannot run here (no corpus, valgrind gave no count): not a regression.
  status=0
  bash bench/callgrind-check.sh || status=$?
  case "$status" in
    0) ;;
    2) echo "callgrind check skipped: it cannot run here (see above)" ;;
    *) failed+=("callgrind check") ;;
  esac
fi

if [ -f editors/vscode/package.json ]; then
  step "VS Code extension: npm test"
  # `set -e` is off inside a command followed by `||`: chain with `&&`.
  (
    cd editors/vscode &&
      if [ ! -d node_modules ]; then
        if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
      fi &&
      npm test
  ) || failed+=("VS Code extension")
fi

# The editor clients in real editors: tests/neovim.rs on Neovim 0.11 and
# 0.12, Emacs with eglot, the .vsix in VS Code (code-server) driven headless.
if [ -f scripts/test-editors.sh ]; then
  step "real editors (scripts/test-editors.sh)"
  bash scripts/test-editors.sh || failed+=("real editors")
fi

# The packages users download (wheel, npm, .vsix, archive, GitHub Action,
# pre-commit hooks), each installed in a fresh place and run. It reuses the
# debug binary the tests built.
if [ -f scripts/test-packages.sh ]; then
  step "packages: build, install and run each"
  bash scripts/test-packages.sh || failed+=("packages")
fi

if [ "${#failed[@]}" -gt 0 ]; then
  step "FAILED: ${failed[*]}"
  exit 1
fi
step "all tests passed"
