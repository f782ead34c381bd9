#!/bin/sh
# tests/conformance/run.sh AIP - the facts loader, through `aip facts`, on
# JSONTestSuite (tests/fixtures/facts/json-conformance/, plus the
# test_transform probes in json-transform/) and yaml-test-suite
# (tests/conformance/yaml/). Run from the repository root (make test does).
# docs/conformance.md explains every rule; in short:
#
# - Every run has `timeout 10` and must exit 0 (loaded) or 2 (rejected); any
#   other status (a signal, a sanitizer abort, 3, a timeout) fails the case,
#   even one listed as a deviation. Every exit 2 must print a located message
#   "FILE:LINE:COL: error: ..." as its first line.
# - aip facts require a top-level map. A JSON y_ file whose value is not a map
#   must be rejected with "top-level value must be a map", and the same bytes
#   wrapped as {"v": ...} must load. An i_ file may load or be rejected
#   (wrapped too). n_ must be rejected. test_transform files: 0 or 2.
# - YAML: with an `error` file the input must be rejected. Otherwise it must
#   load and, when in.json exists, print exactly what `aip facts in.json`
#   prints (both canonical JSON from the same writer). When in.json is not a
#   map, holds no value, or holds several (a multi-document stream), the YAML
#   must be rejected with "top-level value must be a map", "no document" or
#   "a second document" respectively. A valid case without in.json must load
#   or be rejected only because its top level is not a map.
# - json-deviations.txt and yaml-deviations.txt list, by id, the cases where
#   aip departs from the suite on purpose or because of libyaml 0.2.5:
#   "ID reject|accept|value REASON". A listed case must behave as listed
#   (reject: exit 2 located; accept: exit 0; value: loads a value other than
#   in.json's) AND must fail the generic rule, so a stale entry is a failure.
#
# Prints one line per failure, a count per category, and ends with
# "conformance: N passed, N failed"; exits non-zero on any failure.
set -u
AIP=$1
JDIR=tests/fixtures/facts/json-conformance
TDIR=tests/conformance/json-transform
YDIR=tests/conformance/yaml
JDEV=tests/conformance/json-deviations.txt
YDEV=tests/conformance/yaml-deviations.txt
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

# run FILE: aip facts FILE under a timeout; sets rc, out ($T/out), msg.
run() {
    timeout 10 "$AIP" facts "$1" >"$T/out" 2>"$T/err"
    rc=$?
    msg=
    IFS= read -r msg <"$T/err"
}
# located FILE: the first stderr line is "FILE:LINE:COL: error: ..."
located() {
    case $msg in "$1":*) ;; *) return 1 ;; esac
    l=${msg#"$1":}
    c=${l#*:}
    e=${c#*:}
    l=${l%%:*}
    c=${c%%:*}
    case $l$c in *[!0-9]* | 0*) return 1 ;; esac
    [ -n "$l" ] && [ -n "$c" ] && case $e in " error: "*) true ;; *) false ;; esac
}
# rejected FILE [TEXT]: exit 2, located, and the message contains TEXT
rejected() {
    [ "$rc" -eq 2 ] && located "$1" && case $msg in *"${2-}"*) true ;; *) false ;; esac
}
sane() { [ "$rc" -eq 0 ] || { [ "$rc" -eq 2 ] && located "$1"; }; }
# deviation LIST ID: set d to the listed outcome (reject, accept, value) or ''
load() { printf '\n'; awk '!/^#/ && NF >= 2 { print $1, $2 }' "$1"; }
JDEVS=$(load "$JDEV")
YDEVS=$(load "$YDEV")
deviation() {
    case $1 in
    *"
$2 "*) d=${1#*"
$2 "}; d=${d%%"
"*} ;;
    *) d= ;;
    esac
}

# verdict CAT ID GENERIC_OK SANE_OK DEV DEV_OK WHY: count one case
verdict() {
    if [ "$4" -ne 1 ] && [ "$rc" -eq 124 ]; then
        ok=0 why="timed out after 10 s"
    elif [ "$4" -ne 1 ]; then
        ok=0 why="exit $rc: $msg (must be 0, or 2 with a located message)"
    elif [ -n "$5" ]; then
        if [ "$3" -eq 1 ]; then
            ok=0 why="listed as a '$5' deviation but now conforms: remove it from the list"
        elif [ "$6" -eq 1 ]; then
            ok=1
        else
            ok=0 why="listed as a '$5' deviation but did not behave so (exit $rc: $msg)"
        fi
    else
        ok=$3 why=$7
    fi
    if [ "$ok" -eq 1 ]; then
        pass=$((pass + 1))
        echo "$1 pass" >>"$T/cats"
    else
        fail=$((fail + 1))
        echo "$1 fail" >>"$T/cats"
        echo "FAIL conformance: $1 $2: $why"
    fi
}
# devcheck KIND FILE: whether the case behaved as its deviation says
devcheck() {
    case $1 in
    reject) rejected "$2" ;;
    accept) [ "$rc" -eq 0 ] ;;
    value) [ "$rc" -eq 0 ] && [ -n "${jout-}" ] && ! cmp -s "$T/out" "$jout" ;;
    *) false ;;
    esac
}
b2i() { if "$@"; then r=1; else r=0; fi; }

# ---- JSON: test_parsing -----------------------------------------------------
for f in "$JDIR"/*.json; do
    name=${f##*/}
    id=${name%.json}
    cat=json-${name%%_*}_
    run "$f"
    b2i sane "$f"; s=$r
    g=0 why=
    case $name in
    y_*)
        if [ "$rc" -eq 0 ]; then
            g=1
        elif rejected "$f" "top-level value must be a map"; then
            w=$T/wrapped.json
            { printf '{"v":'; cat "$f"; printf '}'; } >"$w"
            rc0=$rc msg0=$msg
            run "$w"
            if [ "$rc" -eq 0 ]; then g=1; else why="wrapped as {\"v\": ...}: exit $rc: $msg"; fi
            rc=$rc0 msg=$msg0
        else
            why="must load: exit $rc: $msg"
        fi
        ;;
    n_*)
        b2i rejected "$f"; g=$r
        why="must be rejected with a located message: exit $rc: $msg"
        ;;
    i_*)
        g=$s
        if [ "$s" -eq 1 ] && [ "$rc" -eq 2 ]; then
            w=$T/wrapped.json
            { printf '{"v":'; cat "$f"; printf '}'; } >"$w"
            run "$w"
            b2i sane "$w"; g=$r
            why="wrapped as {\"v\": ...}: exit $rc: $msg"
            s=$g
        fi
        ;;
    esac
    deviation "$JDEVS" "$id"
    dv=0
    if [ -n "$d" ]; then b2i devcheck "$d" "$f"; dv=$r; fi
    verdict "$cat" "$id" "$g" "$s" "$d" "$dv" "$why"
done

# ---- JSON: test_transform (no expected result: only 0 or 2) ----------------
for f in "$TDIR"/*.json; do
    name=${f##*/}
    run "$f"
    b2i sane "$f"; s=$r
    verdict json-transform "${name%.json}" "$s" "$s" "" 0 ""
done

# ---- YAML -------------------------------------------------------------------
for dir in "$YDIR"/*/; do
    dir=${dir%/}
    id=${dir##*/}
    y=$dir/in.yaml
    j=$dir/in.json
    jout=
    g=0 why=
    if [ -f "$dir/error" ]; then
        cat=yaml-error
        run "$y"
        b2i rejected "$y"; g=$r
        why="must be rejected with a located message: exit $rc: $msg"
    elif [ -f "$j" ]; then
        cat=yaml-json
        run "$j"
        jout=$T/json.out
        cp "$T/out" "$jout"
        jrc=$rc jmsg=$msg
        run "$y"
        if [ "$jrc" -eq 0 ]; then
            if [ "$rc" -eq 0 ] && cmp -s "$T/out" "$jout"; then
                g=1
            elif [ "$rc" -eq 0 ]; then
                why="loaded a value other than in.json's: $(diff "$jout" "$T/out" | grep '^[<>]' | head -n 4 | tr '\n' ' ')(< in.json, > in.yaml)"
            else
                why="must load: exit $rc: $msg"
            fi
        else
            case $jmsg in
            *"top-level value must be a map"*) want="top-level value must be a map" ;;
            *"empty input"*) want="no document" ;;
            *"unexpected data after the JSON value"*) want="a second document" ;;
            *) want= why="in.json does not load: $jmsg" ;;
            esac
            if [ -n "$want" ]; then
                b2i rejected "$y" "$want"; g=$r
                why="must be rejected with '$want': exit $rc: $msg"
            fi
        fi
    else
        cat=yaml-valid
        run "$y"
        if [ "$rc" -eq 0 ] || rejected "$y" "top-level value must be a map"; then g=1; fi
        why="must load: exit $rc: $msg"
    fi
    b2i sane "$y"; s=$r
    deviation "$YDEVS" "$id"
    dv=0
    if [ -n "$d" ]; then b2i devcheck "$d" "$y"; dv=$r; fi
    verdict "$cat" "$id" "$g" "$s" "$d" "$dv" "$why"
done

# Counts per category: "  CAT: passed P of N" (not the summary format).
sort "$T/cats" | uniq -c | awk '{ n[$2] += $1; if ($3 == "pass") p[$2] += $1 }
    END { for (c in n) printf "  %s: passed %d of %d\n", c, p[c], n[c] }' | sort
echo "conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
