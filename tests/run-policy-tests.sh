#!/bin/sh
# tests/run-policy-tests.sh BIN - run `aip test` on every shipped policy
# directory that has *_test.aip files. The IR 8596 pack must also keep its
# test coverage (docs/coverage.md) at or above PACK_COVERAGE_MIN percent: a
# control added without tests, or a rule whose failure no test drives, lowers
# it. Raise the floor when tests are added.
PACK_COVERAGE_MIN=92
set -u
BIN=$1
status=0
for dir in examples/policies policies/*; do
    [ -d "$dir" ] || continue
    ls "$dir"/*_test.aip >/dev/null 2>&1 || continue
    echo "== aip test $dir"
    case $dir in
    policies/ir8596) "$BIN" test "$dir" --coverage-min "$PACK_COVERAGE_MIN" || status=1 ;;
    *) "$BIN" test "$dir" || status=1 ;;
    esac
done
exit $status
