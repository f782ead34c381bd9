#!/bin/sh
# tests/fault/nothing-lost.sh AIP - no report is ever lost or half-written.
# The process is killed with SIGKILL after writing a report in full but
# before putting it in place (the test-only fault hook
# AIP_TEST_KILL_BEFORE_RENAME in runtime/outfile.c): the old report must be
# intact and no temporary file left. A write error (/dev/full) must be
# exit 3 with a message.
set -u
AIP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
T=$(mktemp -d)
EVAL="eval policies/ir8596 -f examples/sme/gaps.yaml --now 2026-11-27"
for fmt in json html sarif; do
    out="$T/report.$fmt"
    printf 'the previous report\n' >"$out"
    AIP_TEST_KILL_BEFORE_RENAME=1 "$AIP" $EVAL --format $fmt -o "$out" >/dev/null 2>&1
    status=$?
    [ $status -eq 137 ] && ok "$fmt: killed after writing, before the rename (status $status)" || bad "$fmt: not killed (status $status)"
    [ "$(cat "$out")" = "the previous report" ] && ok "$fmt: the old report is intact" || bad "$fmt: the old report changed"
    left=$(ls -A "$T" | grep -v '^report\.' | wc -l)
    [ "$left" -eq 0 ] && ok "$fmt: no temporary file left" || bad "$fmt: files left behind: $(ls -A "$T")"
    "$AIP" $EVAL --format $fmt -o "$out" >/dev/null 2>&1
    [ "$(head -c 19 "$out")" != "the previous report" ] && [ -s "$out" ] && ok "$fmt: a full run replaces it" || bad "$fmt: a full run did not replace it"
done
printf 'old json\n' >"$T/a.json"
printf 'old sarif\n' >"$T/b.sarif"
AIP_TEST_KILL_BEFORE_RENAME=1 "$AIP" $EVAL --report json="$T/a.json" --report sarif="$T/b.sarif" >/dev/null 2>&1
[ "$(cat "$T/a.json")" = "old json" ] && [ "$(cat "$T/b.sarif")" = "old sarif" ] && ok "--report: killed, every old report intact" || bad "--report: an old report changed"
[ "$(ls -A "$T" | wc -l)" -eq 5 ] && ok "--report: no temporary file left" || bad "--report: files left: $(ls -A "$T")"
"$AIP" $EVAL --format json -o /dev/full >/dev/null 2>"$T/err"
status=$?
[ $status -eq 3 ] && grep -q "error" "$T/err" && ok "/dev/full: exit 3 with a message" || bad "/dev/full: status $status"
rm -rf "$T"
echo "nothing-lost: $pass passed, $fail failed"
[ $fail -eq 0 ]
