#!/bin/sh
# bench/run.sh - the benchmark of issue 7 (`make bench` runs it).
#
# Builds what it needs, generates the inventories into build/bench/ (bench/gen.awk,
# deterministic), checks that aip and jq agree (bench/compare.sh), times every
# case and prints ONE table (Markdown): case, size (systems, bytes), median wall
# time, peak RSS, RSS / input size, ratio to jq and to the libyaml parse floor
# at the same size. Whole-process figures, like the issue's.
#
#   sh bench/run.sh [bin/aip]
#   FLAT_SIZES="100 1000" SME_SIZES=1000 sh bench/run.sh     # a quick subset
#
# Timing: hyperfine (Debian package; installed when missing and run as root)
# with -N (no shell) reports the median of N runs; without it, a loop of
# /usr/bin/time -f %e (10 ms resolution). CPU time (user + system, mean of the
# same runs) is printed too: on a shared machine it moves far less than wall
# time. Peak RSS is /usr/bin/time -f %M of one more run, which also warms the
# page cache. Runs: 10 up to 1,000 systems, 5 at 10,000, 3 at 100,000.
#
# "aip load only" evaluates bench/load.aip (one control reading one key): the
# process, the read, SHA-256 and parse of the facts and a one-control report,
# so that the YAML parse compares with libyaml's event parse of the same file.
#
# The SME rows come in two inventories of each size: the mixed one (about five
# findings a system, so the report dominates) and the same draws with every
# flaw turned off (gen.awk clean=1: every control passes, the CI gate's usual
# case), which measures the evaluation itself.
set -eu
AIP=${1:-bin/aip}
NOW=2026-11-27
OUT=build/bench
FLAT_SIZES=${FLAT_SIZES:-"100 1000 10000 100000"}
SME_SIZES=${SME_SIZES:-"1000 10000 100000"}
mkdir -p "$OUT"
start=$(date +%s)

# ---- tools -------------------------------------------------------------------
want=""
command -v jq >/dev/null 2>&1 || want="$want jq"
command -v hyperfine >/dev/null 2>&1 || want="$want hyperfine"
[ -x /usr/bin/time ] || want="$want time"
if [ -n "$want" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing$want" >&2
    apt-get install -y -qq $want >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $want >/dev/null 2>&1; } || true
fi
command -v jq >/dev/null 2>&1 || { echo "bench: jq is needed (apt-get install jq)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
HYPERFINE=$(command -v hyperfine || true)

[ -x "$AIP" ] || make --no-print-directory "$AIP"
if [ ! -x $OUT/libyaml-parse ] || [ bench/libyaml-parse.c -nt $OUT/libyaml-parse ]; then
    ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o $OUT/libyaml-parse bench/libyaml-parse.c -lyaml
fi

# ---- inventories ---------------------------------------------------------------
gen() {   # gen SHAPE N FORMAT FILE [CLEAN]
    if [ ! -s "$4" ] || [ bench/gen.awk -nt "$4" ]; then
        awk -v shape="$1" -v n="$2" -v format="$3" -v clean="${5:-0}" -f bench/gen.awk > "$4.tmp" && mv "$4.tmp" "$4"
    fi
}
for n in $FLAT_SIZES 1000; do
    gen flat $n json $OUT/flat-$n.json
    gen flat $n yaml $OUT/flat-$n.yaml
done
for n in $SME_SIZES; do
    gen native $n json $OUT/sme-$n.json
    gen native $n json $OUT/sme-clean-$n.json 1
done

sh bench/compare.sh "$AIP" >&2
# the clean inventory is a valid manifest on which every control of the profile passes
n=${SME_SIZES%% *}
if ! "$AIP" eval policies/ir8596 --profile sme-baseline -f $OUT/sme-clean-$n.json --now $NOW > $OUT/clean.txt 2>&1; then
    echo "bench: $OUT/sme-clean-$n.json does not pass the sme-baseline profile:" >&2
    grep -v '^      ' $OUT/clean.txt >&2
    exit 3
fi
echo "bench: $OUT/sme-clean-$n.json passes sme-baseline: $(tail -n 1 $OUT/clean.txt)" >&2

"$AIP" build policies/ir8596 -o $OUT/ir8596.aipc >/dev/null

# ---- measuring -------------------------------------------------------------------
RESULTS=$OUT/results.tsv
: > $RESULTS
runs_for() { if [ "$1" -ge 100000 ]; then echo 3; elif [ "$1" -ge 10000 ]; then echo 5; else echo 10; fi; }

# measure CASE KEY SYSTEMS INPUT RUNS COMMAND...   (KEY groups rows for the ratios)
measure() {
    name=$1 key=$2 systems=$3 input=$4 runs=$5
    shift 5
    rc=0
    /usr/bin/time -f %M -o $OUT/rss.txt "$@" >/dev/null 2>$OUT/stderr.txt || rc=$?
    if [ $rc -gt 1 ]; then   # 1 is a failed gate, which the inventories are built to produce
        echo "bench: '$*' exited $rc" >&2; cat $OUT/stderr.txt >&2; exit 3
    fi
    rss=$(tail -n 1 $OUT/rss.txt)
    if [ -n "$HYPERFINE" ]; then
        "$HYPERFINE" -N -i --style none --runs "$runs" --export-json $OUT/hf.json -- "$*" >/dev/null 2>&1
        med=$(jq -r '.results[0].median' $OUT/hf.json)
        cpu=$(jq -r '.results[0].user + .results[0].system' $OUT/hf.json)
    else
        i=0
        : > $OUT/times.txt
        while [ $i -lt "$runs" ]; do
            /usr/bin/time -f '%e %U %S' -a -o $OUT/times.txt "$@" >/dev/null 2>&1 || true
            i=$((i + 1))
        done
        med=$(sort -n $OUT/times.txt | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
        cpu=$(awk '{ c += $2 + $3 } END { print c / NR }' $OUT/times.txt)
    fi
    bytes=$(wc -c < "$input" | tr -d ' ')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$key" "$systems" "$bytes" "$med" "$rss" "$cpu" >> $RESULTS
    printf 'bench: %-40s %8s systems  %s s (cpu %s s)  %s KiB\n' "$name" "$systems" "$med" "$cpu" "$rss" >&2
}

for n in $FLAT_SIZES; do
    r=$(runs_for $n)
    measure "aip 8 checks, JSON" aip-json $n $OUT/flat-$n.json $r \
        "$AIP" eval bench/checks.aip -f $OUT/flat-$n.json --now $NOW --format json --no-validate
    measure "  same, --no-because" aip-json-nb $n $OUT/flat-$n.json $r \
        "$AIP" eval bench/checks.aip -f $OUT/flat-$n.json --now $NOW --format json --no-validate --no-because
    measure "aip load only, JSON" load-json $n $OUT/flat-$n.json $r \
        "$AIP" eval bench/load.aip -f $OUT/flat-$n.json --now $NOW --format json --no-validate
    measure "aip 8 checks, YAML" aip-yaml $n $OUT/flat-$n.yaml $r \
        "$AIP" eval bench/checks.aip -f $OUT/flat-$n.yaml --now $NOW --format json --no-validate
    measure "aip load only, YAML" load-yaml $n $OUT/flat-$n.yaml $r \
        "$AIP" eval bench/load.aip -f $OUT/flat-$n.yaml --now $NOW --format json --no-validate
    measure "jq 8 checks, JSON" jq $n $OUT/flat-$n.json $r \
        jq --arg now $NOW -f bench/checks.jq $OUT/flat-$n.json
    measure "libyaml parse only, YAML" libyaml $n $OUT/flat-$n.yaml $r \
        $OUT/libyaml-parse $OUT/flat-$n.yaml
done
for n in $SME_SIZES; do
    measure "aip sme-baseline, native JSON" sme $n $OUT/sme-$n.json "$(runs_for $n)" \
        "$AIP" eval policies/ir8596 --profile sme-baseline -f $OUT/sme-$n.json --now $NOW --format json --no-validate
    measure "  same, every system compliant" sme $n $OUT/sme-clean-$n.json "$(runs_for $n)" \
        "$AIP" eval policies/ir8596 --profile sme-baseline -f $OUT/sme-clean-$n.json --now $NOW --format json --no-validate
done
measure "aip eval full pack from bundle, sme example" bundle 3 examples/sme/compliant.yaml 20 \
    "$AIP" eval $OUT/ir8596.aipc -f examples/sme/compliant.yaml --now $NOW --format json
measure "  same, --no-validate" bundle 3 examples/sme/compliant.yaml 20 \
    "$AIP" eval $OUT/ir8596.aipc -f examples/sme/compliant.yaml --now $NOW --format json --no-validate
measure "aip eval full pack from bundle, examples/inventory.yaml" bundle - examples/inventory.yaml 20 \
    "$AIP" eval $OUT/ir8596.aipc -f examples/inventory.yaml --now $NOW --format json
measure "aip build policies/ir8596" build - policies/ir8596/profiles.aip 20 \
    "$AIP" build policies/ir8596 -o $OUT/ir8596-build.aipc

# ---- the table -----------------------------------------------------------------------
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), Debian $(cat /etc/debian_version 2>/dev/null || echo '?'); $("$AIP" version 2>/dev/null | head -n 1); $(jq --version); timing: $([ -n "$HYPERFINE" ] && "$HYPERFINE" --version || echo '/usr/bin/time loop')"
echo
awk -F '\t' '
    { name[NR] = $1; key[NR] = $2; sys[NR] = $3; bytes[NR] = $4; med[NR] = $5; rss[NR] = $6; cpu[NR] = $7
      if ($2 == "jq") jq[$3] = $5
      if ($2 == "libyaml") ly[$3] = $5 }
    function mb(b) { return sprintf("%.1f MB", b / 1e6) }
    function size(b) { return b >= 1e6 ? mb(b) : sprintf("%.1f kB", b / 1e3) }
    function secs(t) { return t < 0.1 ? sprintf("%.1f ms", t * 1000) : sprintf("%.3f s", t) }
    function ratio(t, base, k) { return (k == "sme" || k == "bundle" || k == "build" || base == "") ? "-" : sprintf("%.2f", t / base) }
    END {
        print "| case | systems | input | median wall | mean CPU | peak RSS | RSS / input | × jq | × libyaml |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for (i = 1; i <= NR; i++) {
            in_b = (key[i] == "build") ? "-" : size(bytes[i])
            rr = (key[i] == "build" || key[i] == "bundle") ? "-" : sprintf("%.2f", rss[i] * 1024 / bytes[i])
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name[i], sys[i], in_b, secs(med[i]),
                   secs(cpu[i]), mb(rss[i] * 1024), rr, ratio(med[i], jq[sys[i]], key[i]), ratio(med[i], ly[sys[i]], key[i])
        }
    }' $RESULTS
echo
echo "bench: done in $(( $(date +%s) - start )) s" >&2
