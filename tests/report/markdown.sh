#!/bin/sh
# tests/report/markdown.sh AIP - the Markdown report (a pull-request
# comment) on the shipped examples. Markdown has no schema, so its structure
# is checked with grep and awk: the gate line first; one table row per CSF
# function whose counts agree with the JSON report of the same evaluation;
# every fail/error/unknown control with its findings at their manifest
# file:line; the collapsed lists; waivers and the integrity block; the
# 60,000-character limit on a large generated inventory (a visible note
# whose counts add up, no cut line, table row, UTF-8 character or
# <details>); text from facts cannot inject markup.
# Run from the repository root (make test does); prints one line per check
# and ends with "markdown: N passed, N failed"; exits non-zero on any failure.
set -u
AIP=$1
EX=examples/sme
PACK=policies/ir8596
CON=tests/golden/constructs
pass=0
fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok   markdown: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL markdown: $1"; fail=$((fail + 1)); }
check() {
    d=$1
    shift
    if "$@" >"$T/check.out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/    /' "$T/check.out" | head -20; fi
}
finish() {
    echo "markdown: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
}

for tool in awk grep sed iconv wc cmp; do
    command -v $tool >/dev/null 2>&1 || { bad "$tool is missing: install it (Debian: coreutils, grep, sed, gawk or mawk, libc-bin)"; finish; }
done

# report NAME WANT_STATUS ARGS...: $T/NAME.md and $T/NAME.json from one run
report() {
    name=$1 want=$2
    shift 2
    "$AIP" eval "$@" --report markdown="$T/$name.md" --report json="$T/$name.json" >/dev/null 2>"$T/$name.err"
    st=$?
    if [ "$st" = "$want" ] && [ -s "$T/$name.md" ]; then
        ok "$name: aip eval exits $st and writes the report"
    else
        bad "$name: aip eval exited $st (expected $want)"
        sed 's/^/    /' "$T/$name.err" | head -10
        return 1
    fi
}

# The JSON report's summary count for verdict $2.
json_count() {
    sed -n '/^  "summary": {/,/^  }/s/^    "'"$2"'": \([0-9]*\).*/\1/p' "$1"
}
# Controls of the JSON report with verdict in the list $2 (a regex), sorted.
json_ids() {
    awk -v want="$2" '/^      "id": "/ { id = $2; gsub(/[",]/, "", id) }
        /^      "verdict": "/ { v = $2; gsub(/[",]/, "", v); if (v ~ "^(" want ")$") print id }' "$1" | sort
}
json_findings() {
    grep -c '^          "kind": "\(violation\|missing_evidence\)"' "$1"
}

# Structure every Markdown report has, whatever its size.
structure() {
    f=$1
    # valid UTF-8, no raw control character, whole lines
    iconv -f UTF-8 -t UTF-8 "$f" >/dev/null || { echo "not valid UTF-8"; return 1; }
    ! LC_ALL=C grep -q '[[:cntrl:]]' "$f" || { echo "raw control character"; return 1; }
    [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || { echo "does not end with a newline"; return 1; }
    # balanced <details>
    [ "$(grep -c '^<details>' "$f")" = "$(grep -c '^</details>$' "$f")" ] || { echo "unbalanced <details>"; return 1; }
    # every row of a table has as many unescaped | as its header
    awk '/^\|/ { line = $0; gsub(/\\\\/, "", line); gsub(/\\\|/, "", line); n = gsub(/\|/, "|", line)
                 if (!h) h = n; else if (n != h) { print "row of " n " borders under " h ": " $0; bad = 1 } next }
         { h = 0 }
         END { exit bad }' "$f" || return 1
    # no heading but ours (## gate, ### sections, #### controls)
    ! grep -v '^\(## \(.\{1,4\}\) aip gate: \(PASS\|FAIL\) (fail-on [a-z]*)\|### [A-Z][a-z]\|#### \)' "$f" | grep -q '^#'
}

# gate NAME WORD RULE: the first line is the gate
gate_first() {
    head -n 1 "$1" | grep -q "^## .* aip gate: $2 (fail-on $3)\$"
}

# The table's row for function $2 ("GV Govern") against the JSON report's
# controls of that function; the All row against the summary.
table_agrees() {
    md=$1 js=$2
    for fn in "GV Govern" "ID Identify" "PR Protect" "DE Detect" "RS Respond" "RC Recover"; do
        id=${fn%% *}
        row=$(grep "^| $fn |" "$md") || { echo "no row for $fn"; return 1; }
        want="| $fn |"
        total=0
        for v in pass fail unknown not_applicable waived error; do
            n=$(json_ids "$js" "$v" | grep -c "^$id\.")
            total=$((total + n))
            want="$want $n |"
        done
        want="$want $total |"
        [ "$row" = "$want" ] || { echo "row: $row"; echo "want: $want"; return 1; }
    done
    all="| **All** |"
    for v in pass fail unknown not_applicable waived error; do all="$all $(json_count "$js" "$v") |"; done
    all="$all $(json_count "$js" total) |"
    grep -qxF "$all" "$md" || { echo "no row: $all"; return 1; }
}

# Every fail/error/unknown control of the JSON report has a heading, no
# other control has one.
attention_agrees() {
    json_ids "$2" 'fail|error|unknown' >"$T/want.ids"
    sed -n 's/^#### [^ ]* [A-Z]* · \([A-Z][A-Z]\.[A-Z][A-Z]-[0-9][0-9]\) .*/\1/p' "$1" | sort >"$T/got.ids"
    diff "$T/want.ids" "$T/got.ids"
}

# ---- the SME baseline on the gaps example -----------------------------------------
if report gaps-baseline 1 $PACK --profile sme-baseline -f $EX/gaps.yaml --now 2026-11-27; then
    f=$T/gaps-baseline.md
    check "gaps-baseline: well-formed (UTF-8, whole lines, tables, <details>, headings)" structure "$f"
    check "gaps-baseline: the gate line comes first: FAIL (fail-on mandatory)" gate_first "$f" FAIL mandatory
    check "gaps-baseline: the rule of the gate follows" grep -q '^\*\*Rule\*\* (fail-on mandatory): a mandatory control that is fail, error or unknown fails the gate; 10 do (10 fail, 0 error, 0 unknown)' "$f"
    check "gaps-baseline: a table row per CSF function, agreeing with the JSON report" table_agrees "$f" "$T/gaps-baseline.json"
    check "gaps-baseline: every failing control has a heading, in agreement with the JSON report" attention_agrees "$f" "$T/gaps-baseline.json"
    check "gaps-baseline: findings with message, subject and manifest file:line" sh -c \
        'grep -qF -e "- **violation** (support-assistant): support-assistant: credential llm-key-prod was last rotated 2026-03-01 (271 days ago); its rotation period is 90 days" "$1" &&
         grep -qF "  at examples/sme/gaps.yaml:91:48 · path credentials\[0\].rotation.last\_rotated · policy policies/ir8596/protect.aip:89" "$1"' - "$f"
    check "gaps-baseline: every finding of the JSON report is listed" sh -c \
        'test "$(grep -c "^ *- \*\*\(violation\|missing evidence\)\*\*" "$1")" = "$2"' - "$f" "$(json_findings "$T/gaps-baseline.json")"
    check "gaps-baseline: passing controls are collapsed in <details>" sh -c \
        'awk "/^<details><summary>✅ PASS: 2 controls<\/summary>/ { d = 1 } d && /^- ID.AM-04 / { f = 1 } /^<\/details>/ { d = 0 } END { exit !f }" "$1"' - "$f"
    sha=$(sha256sum $EX/gaps.yaml | cut -d' ' -f1)
    check "gaps-baseline: integrity block (tool, date, profile, bundle, facts file with SHA-256)" sh -c \
        'h=$(sed -n "/\"bundle\"/,/}/s/.*\"sha256\": \"\([0-9a-f]*\)\".*/\1/p" "$2")
         grep -qx "### Integrity" "$1" && grep -qx "\- Tool: aip [0-9.]*" "$1" &&
         grep -qx "\- Evaluated at: 2026-11-27" "$1" && grep -qx "\- Profile: sme-baseline" "$1" &&
         grep -qx "\- Bundle SHA-256: $h" "$1" && grep -qx "  - examples/sme/gaps.yaml, SHA-256 $3" "$1"' - "$f" "$T/gaps-baseline.json" "$sha"
    check "gaps-baseline: no waivers file is said plainly" grep -qx 'No waivers file was given.' "$f"
    "$AIP" eval $PACK --profile sme-baseline -f $EX/gaps.yaml --now 2026-11-27 --format markdown >"$T/again.md" 2>/dev/null
    check "gaps-baseline: deterministic (--format markdown on stdout gives the same bytes)" cmp "$f" "$T/again.md"
fi

# ---- a compliant inventory passes -------------------------------------------------------
if report compliant 0 $PACK --profile sme-baseline -f $EX/compliant.yaml --now 2026-11-27; then
    check "compliant: well-formed" structure "$T/compliant.md"
    check "compliant: the gate line comes first: PASS" gate_first "$T/compliant.md" PASS mandatory
    check "compliant: nothing needs attention" grep -qx 'No control is fail, error or unknown.' "$T/compliant.md"
    check "compliant: table agrees with the JSON report" table_agrees "$T/compliant.md" "$T/compliant.json"
fi

# ---- error, unknown, not_applicable; --fail-on none ------------------------------------
if report constructs 1 $CON/policy -f $CON/facts.yaml --now 2026-11-27; then
    f=$T/constructs.md
    check "constructs: well-formed" structure "$f"
    check "constructs: table agrees with the JSON report" table_agrees "$f" "$T/constructs.json"
    check "constructs: fail, error and unknown controls have headings" attention_agrees "$f" "$T/constructs.json"
    check "constructs: the error's message is shown" grep -qxF -- '- **error**: division by zero (at tests/golden/constructs/policy/main.aip:114)' "$f"
    check "constructs: an advisory control does not fail the gate, a mandatory unknown does" sh -c \
        'grep -q "^#### ⛔ ERROR · ID.AM-01 .* (advisory) — does not fail the gate$" "$1" &&
         grep -q "^#### ❓ UNKNOWN · RC.RP-01 .* — fails the gate$" "$1"' - "$f"
    check "constructs: not_applicable is collapsed" grep -q '^<details><summary>➖ NOT APPLICABLE: 1 control</summary>$' "$f"
fi
if report constructs-none 0 $CON/policy -f $CON/facts.yaml --now 2026-11-27 --fail-on none; then
    check "constructs-none: PASS under fail-on none, with its rule" sh -c \
        'head -n 1 "$1" | grep -q "^## ✅ aip gate: PASS (fail-on none)$" &&
         grep -q "^\*\*Rule\*\* (fail-on none): the gate never fails; 6 controls are fail, error or unknown" "$1"' - "$T/constructs-none.md"
fi

# ---- waivers: active, partial, expired, unused -----------------------------------------------
cat >"$T/waivers.yaml" <<'EOF'
- id: w-supplier
  control: GV.SC-07
  target: code-assistant
  reason: Renewal | signed *soon*
  approved_by: ciso
  expires: "2027-01-31"
- id: w-rotation
  control: PR.AA-01
  target: support-assistant
  reason: rotation scheduled
  approved_by: ciso
  expires: "2027-01-31"
- id: w-old
  control: RS.MA-01
  target: "*"
  reason: old exception
  approved_by: cto
  expires: "2025-01-01"
- id: w-unused
  control: ID.AM-04
  target: nobody
  reason: never matches
  approved_by: cto
  expires: "2027-06-30"
EOF
if report waivers 1 $PACK --profile sme-baseline -f $EX/gaps.yaml --now 2026-11-27 --waivers "$T/waivers.yaml"; then
    f=$T/waivers.md
    check "waivers: well-formed (a | in a reason does not break the table)" structure "$f"
    check "waivers: table agrees with the JSON report" table_agrees "$f" "$T/waivers.json"
    check "waivers: a waived control is collapsed with its waiver" \
        grep -qF -- '— waived by w-supplier (approved by ciso, expires 2027-01-31): Renewal \| signed \*soon\*' "$f"
    check "waivers: a waived finding of a failing control names its waiver" \
        grep -qxF '  waived by w-rotation (approved by ciso, expires 2027-01-31): rotation scheduled' "$f"
    wsha=$(sha256sum "$T/waivers.yaml" | cut -d' ' -f1)
    check "waivers: the waivers table lists active, expired and unused waivers" sh -c \
        'grep -q " 4 waivers: 2 active, 1 expired, 1 unused.\$" "$1" &&
         grep -q "^| w-supplier | active | GV.SC-07 | code-assistant | 1 violation |" "$1" &&
         grep -q "^| w-old | expired | RS.MA-01 | \\\\\* | 0 violations | 2025-01-01 |" "$1" &&
         grep -q "^| w-unused | unused | ID.AM-04 | nobody | 0 violations |" "$1"' - "$f"
    check "waivers: the waivers file with its SHA-256 in the integrity block" \
        grep -q "^- Waivers file: .*waivers.yaml, SHA-256 $wsha\$" "$f"
fi

# ---- text from facts cannot inject markup -----------------------------------------------------
sed 's/sales-drafts/"# sales | *x* _y_ `z` <img src=x> [l](u) @team \\x01"/g' $EX/gaps.yaml >"$T/hostile.yaml"
if report hostile 1 $PACK --profile sme-baseline -f "$T/hostile.yaml" --now 2026-11-27 --no-validate; then
    f=$T/hostile.md
    check "hostile: well-formed (no injected heading, row or control character)" structure "$f"
    check "hostile: markup characters are escaped" sh -c \
        'grep -qF "(\\# sales \\| \\*x\\* \\_y\\_ \\\`z\\\` &lt;img src=x&gt; \\[l\\](u) @&#8203;team \\x01)" "$1" && ! grep -q "<img" "$1"' - "$f"
fi

# ---- the size limit, on a large generated inventory -------------------------------------------
# The gaps example plus N production systems that each fail several controls.
big() {
    sed -n '1,/^attestations:/{/^attestations:/!p;}' $EX/gaps.yaml
    i=0
    while [ "$i" -lt "$1" ]; do
        cat <<EOF
  - id: gen-$i
    name: Generated system $i
    purpose: Load test $i for the markdown size limit
    owner: amara
    technical_owner: ml-platform
    lifecycle: production
    risk_tier: low
    autonomy: human-in-the-loop
    user_facing: false
    data: { classification: internal, pii: true }
    environments: [prod]
    models: []
    providers: [llm-vendor]
    endpoints: [chat-api]
    credentials: [llm-key-prod]
    logging: ai-gateway-logs
    monitoring: sales-monitoring
    incident_response: ai-incident-plan
    rollback: ai-rollback
EOF
        i=$((i + 1))
    done
    sed -n '/^attestations:/,$p' $EX/gaps.yaml
}
big 400 >"$T/big.yaml"
if report big 1 $PACK -f "$T/big.yaml" --now 2026-11-27; then
    f=$T/big.md
    check "big: the full report would be far over the limit ($(json_findings "$T/big.json") findings)" \
        test "$(json_findings "$T/big.json")" -gt 2000
    check "big: stays within 60,000 characters ($(wc -c <"$f") bytes)" test "$(wc -c <"$f")" -le 60000
    check "big: well-formed (nothing cut mid-line, mid-row, mid-character or mid-<details>)" structure "$f"
    check "big: the gate line still comes first" gate_first "$f" FAIL mandatory
    check "big: a visible note says it was truncated and how to get the full report" sh -c \
        'sed -n 3p "$1" | grep -q "^> \*\*⚠️ Truncated\*\* to stay within 60000 characters. Left out: [0-9]* findings, [0-9]* controls, .*For the full report run \`aip eval\` with \`--format html\`"' - "$f"
    check "big: the table is whole and agrees with the JSON report" table_agrees "$f" "$T/big.json"
    check "big: every fail/error/unknown control keeps its heading" attention_agrees "$f" "$T/big.json"
    check "big: shown findings + the note's left-out count = all findings" sh -c \
        'shown=$(grep -c "^ *- \*\*\(violation\|missing evidence\)\*\*" "$1")
         left=$(sed -n "s/^> .*Left out: \([0-9]*\) finding.*/\1/p" "$1")
         test $((shown + left)) = "$2" || { echo "shown $shown + left $left != $2"; exit 1; }' - "$f" "$(json_findings "$T/big.json")"
    check "big: each cut control says how many of its findings are left out" sh -c \
        'grep -q "^- _… [0-9]* more findings of this control left out_$" "$1"' - "$f"
    check "big: the integrity block survives" grep -qx "  - $T/big.yaml, SHA-256 $(sha256sum "$T/big.yaml" | cut -d' ' -f1)" "$f"
fi

finish
