#!/bin/sh
# tests/run-policy-tests.sh BIN - run `aip test` on every shipped policy
# directory that has *_test.aip files.
set -u
BIN=$1
status=0
for dir in examples/policies policies/*; do
    [ -d "$dir" ] || continue
    ls "$dir"/*_test.aip >/dev/null 2>&1 || continue
    echo "== aip test $dir"
    "$BIN" test "$dir" || status=1
done
exit $status
