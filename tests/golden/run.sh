#!/bin/sh
# tests/golden/run.sh BIN - end-to-end golden tests.
#
# Each case is a directory tests/golden/<group>/<case>/ holding:
#   cmd              the aip arguments, one line (run from the case directory)
#   expected.out     standard output
#   expected.err     standard error
#   expected.status  exit status
# plus the policy and facts files the command names. A case may hold setup.sh,
# run first (from the case directory, with the aip binary as $1) to make
# inputs that cannot be kept as text, such as damaged bundles (gen.* files,
# ignored by git). UPDATE=1 rewrites the
# expected files from the actual output: read the diff before committing it.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
for dir in $(find "$ROOT" -mindepth 2 -maxdepth 2 -type d | sort); do
    [ -f "$dir/cmd" ] || continue
    name=${dir#"$ROOT"/}
    out=$(mktemp) err=$(mktemp)
    if [ -f "$dir/setup.sh" ] && ! (cd "$dir" && sh ./setup.sh "$BIN" >/dev/null 2>&1); then
        echo "FAIL $name: setup.sh failed"
        fail=$((fail + 1))
        continue
    fi
    (cd "$dir" && eval "set -- $(cat cmd)" && NO_COLOR=1 ${VALGRIND:-} "$BIN" "$@" >"$out" 2>"$err" </dev/null)
    status=$?
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$out" "$dir/expected.out"
        cp "$err" "$dir/expected.err"
        echo "$status" >"$dir/expected.status"
    fi
    ok=1
    if [ ! -f "$dir/expected.status" ] || [ "$status" != "$(cat "$dir/expected.status")" ]; then
        echo "FAIL $name: exit status $status, expected $(cat "$dir/expected.status" 2>/dev/null || echo '?')"
        ok=0
    fi
    for s in out err; do
        if ! diff -u "$dir/expected.$s" "$( [ $s = out ] && echo "$out" || echo "$err")" >"$out.diff" 2>&1; then
            echo "FAIL $name: std$s differs from expected.$s"
            sed 's/^/    /' "$out.diff" | head -40
            ok=0
        fi
    done
    rm -f "$out" "$err" "$out.diff"
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
