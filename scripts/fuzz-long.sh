#!/usr/bin/env bash
# The long property-test run (see docs/reliability.md): release builds of the
# property tests, run in batches of BATCH cases per property with fresh random
# seeds until BUDGET seconds have passed. Stops at the first failing batch and
# keeps its log (proptest prints the shrunk failing input there).
#
# Usage: scripts/fuzz-long.sh                      # 20 minutes, 20,000 cases a batch
#        BUDGET=3600 BATCH=50000 scripts/fuzz-long.sh
#        LOG_DIR=/tmp/fuzz scripts/fuzz-long.sh     # where batch logs go
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUDGET=${BUDGET:-1200}
BATCH=${BATCH:-20000}
LOG_DIR=${LOG_DIR:-target/fuzz-long}
mkdir -p "$LOG_DIR"

# The test executables, from cargo's own report of what it built.
executable() {
  cargo test --release "$@" --no-run --message-format=json 2>/dev/null |
    grep '"test":true' | grep -o '"executable":"[^"]*"' | tail -1 | sed 's/"executable":"\(.*\)"/\1/'
}
core=$(executable -p skill-core --test fuzz)
server=$(executable -p skill-lsp --bin skill-lsp)
[ -x "$core" ] && [ -x "$server" ] || { echo "could not build the property tests" >&2; exit 1; }

echo "core properties:   $core"
echo "server properties: $server (documents_fuzz, framing)"
echo "budget ${BUDGET}s, ${BATCH} cases per property per batch, started $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
start=$(date +%s)
batch=0
while [ $(($(date +%s) - start)) -lt "$BUDGET" ]; do
  batch=$((batch + 1))
  if ! PROPTEST_CASES=$BATCH "$core" >"$LOG_DIR/core-$batch.log" 2>&1; then
    echo "batch $batch: core properties FAILED, see $LOG_DIR/core-$batch.log"
    exit 1
  fi
  if ! PROPTEST_CASES=$BATCH "$server" documents_fuzz framing >"$LOG_DIR/server-$batch.log" 2>&1; then
    echo "batch $batch: document store or framing properties FAILED, see $LOG_DIR/server-$batch.log"
    exit 1
  fi
  echo "batch $batch passed at $(($(date +%s) - start))s"
done
elapsed=$(($(date +%s) - start))
echo "all $batch batches passed in ${elapsed}s: $((batch * BATCH)) cases per property, ended $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
