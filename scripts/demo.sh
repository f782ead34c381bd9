#!/bin/sh
# scripts/demo.sh BIN - the shipped example: evaluate examples/policies against
# examples/inventory.yaml. A failing gate in the example is shown, not an error.
set -u
BIN=${1:-bin/aip}
echo "\$ aip eval examples/policies -f examples/inventory.yaml --now 2026-11-27"
"$BIN" eval examples/policies -f examples/inventory.yaml --now 2026-11-27
rc=$?
case $rc in
    0) echo "(gate passed: exit 0)" ;;
    1) echo "(gate failed: exit 1 — the example inventory has findings to show)" ;;
    *) echo "aip failed with exit status $rc" >&2; exit "$rc" ;;
esac
