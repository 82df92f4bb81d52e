#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml): installs skill-lsp with pip into
# a virtual environment of its own and runs `skill-lsp check --format github`,
# whose `::error file=...` lines GitHub shows as annotations. The exit status
# is check's: 1 when errors were found (or warnings, with --strict).
#
# Inputs, as action.yml passes them: INPUT_PATHS (default "."), INPUT_ARGS,
# INPUT_INSTALL (a pip requirement or a wheel file). RUNNER_TEMP holds the
# environment (a temporary folder outside GitHub).
set -euo pipefail

install=${INPUT_INSTALL:-skill-lsp}
venv=${RUNNER_TEMP:-$(mktemp -d)}/skill-lsp-venv
python=$(command -v python3 || command -v python)

echo "::group::install skill-lsp ($install)"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$install"
"$venv/bin/skill-lsp" --version
echo "::endgroup::"

# Paths and options are split at spaces, as a user writes them in the workflow.
read -r -a paths <<<"${INPUT_PATHS:-.}"
read -r -a args <<<"${INPUT_ARGS:-}"
exec "$venv/bin/skill-lsp" check --format github "${args[@]}" "${paths[@]}"
