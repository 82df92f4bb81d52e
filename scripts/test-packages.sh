#!/usr/bin/env bash
# Builds every artifact with scripts/package.sh, then installs each the way a
# user would, in a fresh place, and runs it: the wheel in a new virtual
# environment, the npm tarballs in a new project, the .vsix's contents, the
# release archive, the GitHub Action's script and the pre-commit hooks
# (`pre-commit try-repo`, then `pre-commit install` and `git commit`) on a
# throwaway git repository. Nothing is published.
#
# Tools come from the registries: maturin and pre-commit from PyPI into
# target/package-tools/, vsce from the extension's npm packages.
#
# Usage: scripts/test-packages.sh
#   SKILL_LSP_PACKAGE_PROFILE  the Cargo profile (default dev: the binary
#                              `cargo test` already built; dist for what users get)
#   SKILL_LSP_PACKAGE_VERIFY=1 also build the packaged crates (`cargo package`'s check)
#   SKILL_LSP_TEST_PRECOMMIT=0 leave the pre-commit hooks out (they build the
#                              hook repository from source, a few minutes)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

profile=${SKILL_LSP_PACKAGE_PROFILE:-dev}
verify=()
[ "${SKILL_LSP_PACKAGE_VERIFY:-0}" = 1 ] || verify=(--no-verify)

# Each step says when it starts (seconds since the script started).
step() { printf '\n==> %s  [%d s]\n' "$*" "$SECONDS"; }
failures=()
fail() { echo "FAIL: $*" >&2; failures+=("$*"); }
# expect_status N DESCRIPTION COMMAND...: runs COMMAND, which must exit with N.
expect_status() {
  local want=$1 what=$2 got=0
  shift 2
  "$@" || got=$?
  if [ "$got" = "$want" ]; then echo "ok: $what (exit $got)"; else fail "$what: exit $got, expected $want"; fi
}

step "test tools (PyPI: maturin, pre-commit)"
tools=target/package-tools
if [ ! -x "$tools/bin/pre-commit" ] || [ ! -x "$tools/bin/maturin" ]; then
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.9,<2" "pre-commit>=4,<5"
fi
export PATH=$root/$tools/bin:$PATH

out=$root/target/packages-test
rm -rf "$out"
scripts/package.sh --profile "$profile" --out "$out" "${verify[@]}"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
dir=$profile
[ "$profile" = dev ] && dir=debug
reference=$root/target/$dir/skill-lsp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples/skills "$work/examples"
# What every installed binary must report on the examples: the findings of
# the binary just built (the examples hold one correct and one broken skill).
expected=$work/expected.json
status=0
(cd "$work" && "$reference" check --format json examples >"$expected") || status=$?
[ "$status" = 1 ] || fail "the reference binary exits $status on the examples, expected 1"
# broken-flask skips from step 2 to step 4: misnumbered steps (SK103), an error.
grep -q '"SK103"' "$expected" || fail "the examples' known finding SK103 is not reported"

# runs_like_the_reference LABEL BINARY...: --version, check on the examples
# (exit 1, the same findings), serve answering initialize.
runs_like_the_reference() {
  local label=$1
  shift
  local said
  said=$("$@" --version) || true
  [ "$said" = "skill-lsp $version" ] && echo "ok: $label --version: $said" || fail "$label --version said '$said'"
  local got=$work/got.json status=0
  (cd "$work" && "$@" check --format json examples >"$got") || status=$?
  [ "$status" = 1 ] || fail "$label check examples: exit $status, expected 1"
  cmp -s "$expected" "$got" && echo "ok: $label check: the known findings" || fail "$label check: findings differ from the reference"
  python3 tests/packages/lsp_initialize.py "$version" "$@" serve 2>/dev/null && echo "ok: $label serve" || fail "$label serve did not answer initialize"
}

step "wheel: install into a fresh virtual environment"
wheel=$(ls "$out"/wheel/*.whl)
echo "wheel: $(basename "$wheel")"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64)
    [[ "$(basename "$wheel")" =~ -py3-none-manylinux_2_[0-9]+_x86_64\.whl$ ]] &&
      echo "ok: a manylinux wheel" || fail "the wheel is not tagged manylinux: $(basename "$wheel")"
    ;;
esac
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
runs_like_the_reference wheel "$work/venv/bin/skill-lsp"

step "npm: install the tarballs into a fresh project"
mkdir -p "$work/npm-project"
(
  cd "$work/npm-project" &&
    npm init -y >/dev/null &&
    npm install --offline --no-audit --no-fund "$out"/npm/skill-lsp-cli-*-"$version".tgz "$out/npm/skill-lsp-$version.tgz"
) || fail "npm install of the tarballs"
npx_skill_lsp() { (cd "$work/npm-project" && npx --no-install skill-lsp "$@"); }
# npx runs in the project: give it the examples' absolute path.
said=$(npx_skill_lsp --version) || true
[ "$said" = "skill-lsp $version" ] && echo "ok: npx skill-lsp --version" || fail "npx skill-lsp --version said '$said'"
expect_status 1 "npx skill-lsp check examples" npx_skill_lsp check "$work/examples"
runs_like_the_reference "npm launcher" node "$work/npm-project/node_modules/skill-lsp/bin/skill-lsp.js"
# Without the platform package, the launcher says what is missing.
mkdir -p "$work/npm-no-binary"
(cd "$work/npm-no-binary" && npm init -y >/dev/null &&
  npm install --offline --no-audit --no-fund --omit=optional "$out/npm/skill-lsp-$version.tgz" >/dev/null) ||
  fail "npm install of the launcher alone"
message=$(cd "$work/npm-no-binary" && npx --no-install skill-lsp --version 2>&1) && fail "the launcher without its binary succeeded"
[[ "$message" == *"is not installed"* ]] && echo "ok: the launcher without a binary says so" || fail "launcher without a binary: '$message'"

step "VS Code extension: the .vsix holds the server, executable"
vsix=$(ls "$out"/skill-lsp-*-"$version".vsix | head -n 1)
python3 - "$vsix" "$work/vsix" <<'PY' || fail "the .vsix contents"
import re, sys, zipfile
vsix, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(vsix) as z:
    info = z.getinfo("extension/server/skill-lsp")
    mode = info.external_attr >> 16
    assert mode & 0o111, f"extension/server/skill-lsp has mode {oct(mode)}: not executable"
    manifest = z.read("extension.vsixmanifest").decode()
    assert re.search(r'TargetPlatform="linux-x64"', manifest), "no TargetPlatform linux-x64 in the manifest"
    z.extractall(dest)
print(f"ok: extension/server/skill-lsp is in the .vsix with mode {oct(mode)}, target linux-x64")
PY
# zipfile does not restore modes: the check above read it from the archive.
chmod +x "$work/vsix/extension/server/skill-lsp" 2>/dev/null || true
runs_like_the_reference "vsix server" "$work/vsix/extension/server/skill-lsp"

step "archive: binary, completions, man page"
archive=$(ls "$out"/skill-lsp-"$version"-*.tar.gz | head -n 1)
mkdir -p "$work/archive" && tar -C "$work/archive" -xzf "$archive"
unpacked=$(ls -d "$work"/archive/skill-lsp-*)
runs_like_the_reference archive "$unpacked/skill-lsp"
for f in completions/skill-lsp.bash completions/_skill-lsp completions/skill-lsp.fish completions/_skill-lsp.ps1 man/skill-lsp.1 README.md LICENSE CHANGELOG.md; do
  [ -s "$unpacked/$f" ] || fail "the archive has no $f"
done
words=$(bash -c 'source "$1"; COMP_WORDS=(skill-lsp ch); COMP_CWORD=1; COMP_LINE="skill-lsp ch"; COMP_POINT=12; _skill__lsp skill-lsp ch skill-lsp; echo "${COMPREPLY[*]}"' _ "$unpacked/completions/skill-lsp.bash")
[ "$words" = "check" ] && echo "ok: bash completes 'skill-lsp ch' to check" || fail "bash completion of 'skill-lsp ch' gave '$words'"

step "GitHub Action: scripts/github-action.sh with the wheel"
mkdir -p "$work/runner"
action_out=$work/action.txt
status=0
(cd "$work" && GITHUB_ACTION_PATH=$root RUNNER_TEMP=$work/runner PIP_NO_INDEX=1 \
  INPUT_INSTALL=$wheel INPUT_PATHS=examples INPUT_ARGS="" bash "$root/scripts/github-action.sh" >"$action_out") || status=$?
[ "$status" = 1 ] && echo "ok: the action fails on the examples" || fail "the action exited $status, expected 1"
grep -q '^::error file=examples/skills/broken-flask/SKILL.md,line=[0-9]*,.*title=SK103::' "$action_out" &&
  echo "ok: the action annotates SK103" || fail "no ::error annotation for SK103 in the action's output"

# The pre-commit hooks, installed from the repository as a user's
# .pre-commit-config.yaml installs them. pip builds the hook repository from
# source with maturin (the wheels are not on PyPI yet), which takes a few
# minutes once; SKILL_LSP_TEST_PRECOMMIT=0 leaves it out.
if [ "${SKILL_LSP_TEST_PRECOMMIT:-1}" = 1 ]; then
  step "pre-commit: the hooks on a throwaway repository (try-repo, then a commit)"
  # The hook repository: this checkout's files (committed or not) as one
  # commit tagged v<version>, reached through a file:// address as pre-commit
  # reaches a remote one.
  hooks=$work/hook-repo
  mkdir -p "$hooks"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    if [ -e "$f" ] || [ -L "$f" ]; then mkdir -p "$hooks/$(dirname "$f")" && cp -P "$f" "$hooks/$f"; fi
  done
  git -C "$hooks" init -q && git -C "$hooks" add -A &&
    git -C "$hooks" -c user.name=test -c user.email=test@example.invalid commit -qm snapshot &&
    git -C "$hooks" tag "v$version"
  hook_url=file://$hooks
  project=$work/project
  mkdir -p "$project/skills/good" "$project/skills/bad"
  good='---\nname: %s\ndescription: Formats release notes from merged pull requests. Use when preparing a release.\n---\n\n# Notes\n\nRead the merged pull requests and write one line for each.\n'
  # printf's format: the name is the only argument.
  # shellcheck disable=SC2059
  printf -- "$good" good >"$project/skills/good/SKILL.md"
  # Never closed front matter: an error with a safe fix.
  printf -- '---\nname: bad\ndescription: Formats release notes from merged pull requests. Use when preparing a release.\n\n# Bad\n\nRead the merged pull requests.\n' >"$project/skills/bad/SKILL.md"
  git -C "$project" init -q && git -C "$project" add -A
  export PRE_COMMIT_HOME=$work/pre-commit-home
  # pip builds the hook repository with maturin: reuse this checkout's compiled
  # dependencies and the test profile instead of a release build from nothing.
  export CARGO_TARGET_DIR=$root/target MATURIN_PEP517_ARGS="--profile $profile"
  # try-repo builds the hook environment in a store of its own each time it
  # runs: once, for the check a user tries first.
  started=$SECONDS
  expect_status 1 "pre-commit try-repo: hook skill-lsp fails on the broken skill" \
    bash -c 'cd "$1" && pre-commit try-repo "$2" skill-lsp --ref "$3"' _ "$project" "$hook_url" "v$version"
  echo "(try-repo built the hook environment and ran in $((SECONDS - started)) s)"
  # Then as a user: the hooks in .pre-commit-config.yaml (README's snippet,
  # with this address), built once into PRE_COMMIT_HOME.
  cat >"$project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hook_url
    rev: v$version
    hooks:
      - id: skill-lsp-fix
        stages: [manual]
      - id: skill-lsp
YAML
  git -C "$project" add -A
  run_hook() { (cd "$project" && pre-commit run "$@"); }
  started=$SECONDS
  expect_status 1 "pre-commit run skill-lsp: fails on the broken skill" run_hook skill-lsp
  echo "(pre-commit run built the hook environment and ran in $((SECONDS - started)) s)"
  expect_status 1 "pre-commit run skill-lsp-fix: mends it (and fails: files changed)" run_hook skill-lsp-fix --hook-stage manual
  grep -q '^---$' <(sed -n 4p "$project/skills/bad/SKILL.md") && echo "ok: the fix closed the front matter" ||
    fail "the fix hook did not close the front matter"
  git -C "$project" add -A
  expect_status 0 "pre-commit run skill-lsp: passes after the fix" run_hook skill-lsp
  commit() { git -C "$project" -c user.name=test -c user.email=test@example.invalid commit -qm "$1"; }
  (cd "$project" && pre-commit install >/dev/null) || fail "pre-commit install"
  expect_status 0 "git commit with the hook installed: correct skills go in" commit "skills"
  printf -- '---\nname: worse\n\n# Worse\n' >"$project/skills/bad/SKILL.md"
  git -C "$project" add -A
  expect_status 1 "git commit with the hook installed: a broken skill is refused" commit "broken"
  unset CARGO_TARGET_DIR MATURIN_PEP517_ARGS PRE_COMMIT_HOME
else
  step "pre-commit: skipped (SKILL_LSP_TEST_PRECOMMIT=0)"
fi

step "artifact sizes"
(cd "$out" && du -h ./*.tar.gz ./*.vsix wheel/*.whl npm/*.tgz crates/*.crate)

if [ "${#failures[@]}" -gt 0 ]; then
  step "FAILED (${#failures[@]}):"
  printf '  %s\n' "${failures[@]}"
  exit 1
fi
step "every artifact installs and runs"
