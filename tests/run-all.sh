#!/bin/sh
# tests/run-all.sh AIP UNIT_TEST... - run every suite in turn (cmocka unit
# tests, golden end-to-end cases, policy tests, loader conformance, reports)
# and end with one line that counts them all: "tests: N passed, N failed".
set -u
AIP=$1
shift
log=$(mktemp) part=$(mktemp)
status=0
suite() {
    "$@" >"$part" 2>&1 || status=1
    cat "$part"
    cat "$part" >>"$log"
}
suite sh tests/run-unit.sh "$@"
suite sh tests/golden/run.sh "$AIP"
suite sh tests/run-policy-tests.sh "$AIP"
suite sh tests/conformance/run.sh "$AIP"
for t in tests/report/*.sh tests/fault/*.sh tests/editors/*.sh; do
    [ -f "$t" ] && suite sh "$t" "$AIP"
done
# cmocka: "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s), listed below:"
upass=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
ufail=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
# the other suites: "NAME: N passed, N failed" / "N passed, N failed"
opass=$(sed -n 's/^\([a-z-]*: \)\{0,1\}\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
ofail=$(sed -n 's/^\([a-z-]*: \)\{0,1\}\([0-9]*\) passed, \([0-9]*\) failed$/\3/p' "$log" | awk '{s+=$1} END {print s+0}')
rm -f "$log" "$part"
pass=$((upass + opass))
fail=$((ufail + ofail))
[ $status -eq 0 ] || [ $fail -gt 0 ] || fail=1   # a suite failed outside any count (a crash)
echo "tests: $pass passed, $fail failed"
exit $status
