#!/bin/sh
# scripts/demo.sh BIN - the shipped example: the NIST IR 8596 pack's SME
# minimum baseline evaluated on an inventory with realistic gaps
# (examples/sme/gaps.yaml marks each one). A failing gate is the point of
# the example, not an error of the demo.
set -u
BIN=${1:-bin/aip}
echo "\$ aip eval policies/ir8596 --profile sme-baseline -f examples/sme/gaps.yaml --now 2026-11-27"
"$BIN" eval policies/ir8596 --profile sme-baseline -f examples/sme/gaps.yaml --now 2026-11-27
rc=$?
case $rc in
    0) echo "(gate passed: exit 0)" ;;
    1) echo "(gate failed: exit 1, as expected for this inventory; see the GAP comments in examples/sme/gaps.yaml)" ;;
    *) echo "aip failed with exit status $rc" >&2; exit "$rc" ;;
esac
