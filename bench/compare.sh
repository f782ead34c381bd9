#!/bin/sh
# bench/compare.sh - aip (bench/checks.aip) and jq (bench/checks.jq) must count
# the same violations per check on the 1,000-system flat inventory, from JSON
# and from YAML facts. Exit 0 when they agree, 1 otherwise.
#   sh bench/compare.sh [bin/aip]
set -eu
AIP=${1:-bin/aip}
NOW=2026-11-27
OUT=build/bench
mkdir -p "$OUT"
for fmt in json yaml; do
    f=$OUT/flat-1000.$fmt
    [ -s "$f" ] || awk -v shape=flat -v n=1000 -v format=$fmt -f bench/gen.awk > "$f"
done
command -v jq >/dev/null 2>&1 || { echo "compare.sh: jq is needed (apt-get install jq)" >&2; exit 2; }

jq -r --arg now $NOW -f bench/checks.jq $OUT/flat-1000.json \
    | jq -r 'to_entries[] | "\(.key) \(.value)"' | sort > $OUT/compare.jq.txt
status=0
for fmt in json yaml; do
    rc=0
    "$AIP" eval bench/checks.aip -f $OUT/flat-1000.$fmt --now $NOW --format json --no-validate \
        > $OUT/compare.aip.$fmt.json || rc=$?
    [ $rc -le 1 ] || { echo "compare.sh: aip eval exited $rc" >&2; exit 2; }
    # Every failure of checks.aip is a violation; a missing_evidence finding would be a bug.
    jq -r '.controls[] | "\(.id) \([.findings[] | select(.kind == "violation")] | length) \([.findings[] | select(.kind != "violation")] | length)"' \
        $OUT/compare.aip.$fmt.json | awk '$3 != 0 { print "compare.sh: " $1 " has " $3 " findings that are not violations" > "/dev/stderr"; bad = 1 } { print $1, $2 } END { exit bad }' \
        | sort > $OUT/compare.aip.$fmt.txt || status=1
    if diff -u $OUT/compare.jq.txt $OUT/compare.aip.$fmt.txt; then
        echo "compare.sh: aip ($fmt facts) and jq agree on 8 checks: $(awk '{ s += $2 } END { print s }' $OUT/compare.jq.txt) violations"
    else
        echo "compare.sh: aip ($fmt facts) and jq disagree (above: - jq, + aip)" >&2
        status=1
    fi
done
exit $status
