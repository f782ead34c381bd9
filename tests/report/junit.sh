#!/bin/sh
# tests/report/junit.sh AIP - the JUnit XML report on the shipped examples,
# validated with xmllint against both schemas it must satisfy: the strict
# Ant/windyroad JUnit.xsd and the Jenkins xUnit junit-10.xsd (copies in
# tests/schemas/, sources in tests/schemas/SOURCES.md). Also checks, on every
# report: each suite's tests/failures/errors/skipped equal its testcases,
# each control's JUnit outcome agrees with the JSON report's verdict, the
# timestamps are the evaluation date, the integrity properties are there.
# Run from the repository root (make test does); prints one line per check
# and ends with "junit: N passed, N failed"; exits non-zero on any failure.
set -u
AIP=$1
SCHEMAS=tests/schemas
EX=examples/sme
PACK=policies/ir8596
CON=tests/golden/constructs
pass=0
fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok   junit: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL junit: $1"; fail=$((fail + 1)); }
# check DESCRIPTION COMMAND...: the command's success is the check
check() {
    d=$1
    shift
    if "$@" >"$T/check.out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/    /' "$T/check.out" | head -20; fi
}
finish() {
    echo "junit: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
}

if ! command -v xmllint >/dev/null 2>&1; then
    bad "xmllint is missing: install it with 'sudo apt-get install libxml2-utils' (or run sh scripts/test-deps.sh)"
    finish
fi
for s in JUnit.xsd jenkins-junit-10.xsd; do
    [ -f "$SCHEMAS/$s" ] || { bad "schema $SCHEMAS/$s is missing (see tests/schemas/SOURCES.md)"; finish; }
done

# report NAME WANT_STATUS AIP_EVAL_ARGS...: the JUnit report in $T/NAME.xml and
# the JSON report of the same evaluation in $T/NAME.json, from one run.
report() {
    name=$1 want=$2
    shift 2
    "$AIP" eval "$@" --report junit="$T/$name.xml" --report json="$T/$name.json" >/dev/null 2>"$T/$name.err"
    st=$?
    if [ "$st" = "$want" ] && [ -s "$T/$name.xml" ]; then
        ok "$name: aip eval exits $st and writes the report"
    else
        bad "$name: aip eval exited $st (expected $want)"
        sed 's/^/    /' "$T/$name.err" | head -10
        return 1
    fi
}

# Each suite's counters against its children.
counts() {
    f=$1
    n=$(xmllint --xpath 'count(/testsuites/testsuite)' "$f") || return 1
    [ "$n" -gt 0 ] || { echo "no testsuite"; return 1; }
    i=1
    while [ "$i" -le "$n" ]; do
        for pair in tests:testcase failures:testcase/failure errors:testcase/error skipped:testcase/skipped; do
            attr=${pair%%:*}
            a=$(xmllint --xpath "string(/testsuites/testsuite[$i]/@$attr)" "$f")
            c=$(xmllint --xpath "count(/testsuites/testsuite[$i]/${pair#*:})" "$f")
            [ "$a" = "$c" ] || { echo "suite $i: $attr=\"$a\" but $c elements"; return 1; }
        done
        i=$((i + 1))
    done
}

# "ID verdict" per control, from the JSON report ...
json_verdicts() {
    awk '/^      "id": "/ { id = $2; gsub(/[",]/, "", id) }
         /^      "verdict": "/ { v = $2; gsub(/[",]/, "", v); print id, v }' "$1" | sort
}
# ... and from the JUnit report: pass is an empty testcase; failure by its
# type; error; skipped by its message (unknown that does not gate says
# "missing evidence").
junit_verdicts() {
    awk '/^    <testcase name="/ {
             id = $2; sub(/^name="/, "", id); sub(/"$/, "", id)
             if ($0 ~ /\/>$/) print id, "pass"; else pending = id; next }
         pending != "" {
             v = "?"
             if ($0 ~ /<failure type="fail"/) v = "fail"
             else if ($0 ~ /<failure type="unknown"/) v = "unknown"
             else if ($0 ~ /<error /) v = "error"
             else if ($0 ~ /<skipped message="waived/) v = "waived"
             else if ($0 ~ /<skipped message="not applicable/) v = "not_applicable"
             else if ($0 ~ /<skipped message="missing evidence/) v = "unknown"
             print pending, v; pending = "" }' "$1" | sort
}
agree() {
    json_verdicts "$1.json" >"$1.jv"
    junit_verdicts "$1.xml" >"$1.uv"
    [ -s "$1.jv" ] && diff "$1.jv" "$1.uv"
}

# validate NAME: both schemas, the counters, agreement with JSON, the dates.
validate() {
    f=$T/$1.xml
    check "$1: valid against JUnit.xsd (windyroad, strict)" xmllint --noout --schema "$SCHEMAS/JUnit.xsd" "$f"
    check "$1: valid against jenkins-junit-10.xsd" xmllint --noout --schema "$SCHEMAS/jenkins-junit-10.xsd" "$f"
    check "$1: every suite's tests/failures/errors/skipped match its testcases" counts "$f"
    check "$1: each control's outcome agrees with the JSON report's verdict" agree "$T/$1"
    check "$1: every timestamp is the evaluation date" sh -c \
        '! grep "<testsuite " "$1" | grep -v "timestamp=\"2026-11-27T00:00:00\"" | grep -q .' - "$f"
}

# property FILE NAME VALUE: every suite carries it
property() {
    n=$(xmllint --xpath 'count(/testsuites/testsuite)' "$1")
    m=$(xmllint --xpath "count(/testsuites/testsuite/properties/property[@name='$2' and @value='$3'])" "$1")
    [ "$n" = "$m" ] || { echo "$2=$3 in $m of $n suites"; return 1; }
}

# ---- the SME baseline on the gaps example -----------------------------------
if report gaps-baseline 1 $PACK --profile sme-baseline -f $EX/gaps.yaml --now 2026-11-27; then
    validate gaps-baseline
    f=$T/gaps-baseline.xml
    check "gaps-baseline: one suite per CSF function, named with the function" sh -c \
        'test "$(xmllint --xpath "count(/testsuites/testsuite)" "$1")" = 6 &&
         for n in "GV Govern" "ID Identify" "PR Protect" "DE Detect" "RS Respond" "RC Recover"; do
             test "$(xmllint --xpath "count(/testsuites/testsuite[@name=\"$n\"])" "$1")" = 1 || exit 1; done' - "$f"
    check "gaps-baseline: 12 testcases, classname the category, name \"ID title\"" sh -c \
        'test "$(xmllint --xpath "count(//testcase)" "$1")" = 12 &&
         test "$(xmllint --xpath "count(//testcase[@classname=\"PR.AA\" and starts-with(@name, \"PR.AA-01 Identities and credentials\")])" "$1")" = 1' - "$f"
    check "gaps-baseline: a failure names the manifest file:line and path of each finding" \
        grep -q '^    at examples/sme/gaps.yaml:91:48 (credentials\[0\].rotation.last_rotated), policy policies/ir8596/protect.aip:89$' "$f"
    sha=$(sha256sum $EX/gaps.yaml | cut -d' ' -f1)
    check "gaps-baseline: integrity properties (facts file and its SHA-256, profile, date, tool)" sh -c \
        'for p in "aip.facts.0.file=examples/sme/gaps.yaml" "aip.facts.0.sha256=$2" "aip.profile=sme-baseline" \
                  "aip.evaluated_at=2026-11-27" "aip.tool=aip" "aip.fail_on=mandatory" "aip.gate=fail"; do
             n=$(xmllint --xpath "count(/testsuites/testsuite)" "$1")
             m=$(xmllint --xpath "count(//properties/property[@name=\"${p%%=*}\" and @value=\"${p#*=}\"])" "$1")
             test "$n" = "$m" || { echo "$p: $m of $n suites"; exit 1; }; done' - "$f" "$sha"
    check "gaps-baseline: the bundle SHA-256 is the JSON report's" sh -c \
        'h=$(sed -n "/\"bundle\"/,/}/s/.*\"sha256\": \"\([0-9a-f]*\)\".*/\1/p" "$2"); test -n "$h" &&
         grep -q "<property name=\"aip.bundle.sha256\" value=\"$h\"/>" "$1"' - "$f" "$T/gaps-baseline.json"
    "$AIP" eval $PACK --profile sme-baseline -f $EX/gaps.yaml --now 2026-11-27 --format junit >"$T/again.xml" 2>/dev/null
    check "gaps-baseline: deterministic (--format junit on stdout gives the same bytes as --report)" \
        cmp "$f" "$T/again.xml"
fi

# ---- every control of the pack ---------------------------------------------------
if report gaps-all 1 $PACK -f $EX/gaps.yaml --now 2026-11-27; then
    validate gaps-all
    check "gaps-all: 106 testcases in 6 suites" sh -c \
        'test "$(xmllint --xpath "count(//testcase)" "$1")" = 106 &&
         test "$(xmllint --xpath "sum(/testsuites/testsuite/@tests)" "$1")" = 106' - "$T/gaps-all.xml"
    check "gaps-all: no profile is told as such" property "$T/gaps-all.xml" aip.profile "(all controls)"
fi

# ---- a compliant inventory passes -----------------------------------------------------
if report compliant 0 $PACK --profile sme-baseline -f $EX/compliant.yaml --now 2026-11-27; then
    validate compliant
    check "compliant: no failure and no error" sh -c \
        'test "$(xmllint --xpath "count(//failure|//error)" "$1")" = 0' - "$T/compliant.xml"
    check "compliant: the gate property says pass" property "$T/compliant.xml" aip.gate pass
fi

# ---- error, unknown, not_applicable, advisory fail (the constructs case) ------------
if report constructs 1 $CON/policy -f $CON/facts.yaml --now 2026-11-27; then
    validate constructs
    f=$T/constructs.xml
    check "constructs: error is <error> with the VM's message" \
        grep -q '<error type="error" message="division by zero (at tests/golden/constructs/policy/main.aip:114)">' "$f"
    check "constructs: not_applicable is <skipped>" grep -q '<skipped message="not applicable: nothing in scope"/>' "$f"
    check "constructs: a mandatory unknown gates under fail-on mandatory: <failure type=\"unknown\">" \
        grep -q '<failure type="unknown" message="missing evidence (1 finding): cannot check' "$f"
    check "constructs: an advisory fail is still a <failure>" sh -c \
        'xmllint --xpath "//testcase[starts-with(@name, \"GV.SC-07 \")]/failure/@type" "$1" | grep -q "\"fail\""' - "$f"
fi
if report constructs-none 0 $CON/policy -f $CON/facts.yaml --now 2026-11-27 --fail-on none; then
    validate constructs-none
    check "constructs-none: unknown does not gate under fail-on none: skipped with \"missing evidence\"" \
        grep -q '<skipped message="missing evidence (1 finding; does not gate: fail-on none)' "$T/constructs-none.xml"
fi
if report constructs-any 1 $CON/policy -f $CON/facts.yaml --now 2026-11-27 --fail-on any; then
    validate constructs-any
    check "constructs-any: unknown gates under fail-on any" \
        grep -q '<failure type="unknown"' "$T/constructs-any.xml"
fi

# ---- waivers: active (a control waived, one partly), expired, unused -------------------
cat >"$T/waivers.yaml" <<'EOF'
- id: w-supplier
  control: GV.SC-07
  target: code-assistant
  reason: Renewal signed <2026-12-15> & "legal" review pending
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
    validate waivers
    f=$T/waivers.xml
    check "waivers: a waived control is <skipped> with its waiver's reason, escaped" \
        grep -q '<skipped message="waived: Renewal signed &lt;2026-12-15&gt; &amp; &quot;legal&quot; review pending">' "$f"
    check "waivers: a partly waived control still fails, its waived finding says so" sh -c \
        'grep -q "^    waived by w-rotation (approved by ciso, expires 2027-01-31): rotation scheduled$" "$1" &&
         grep -q "<failure type=\"fail\" message=\"2 violations (1 more waived)" "$1"' - "$f"
    check "waivers: active, expired and unused waivers are properties of every suite" sh -c \
        'for p in 0:active 1:active 2:expired 3:unused; do
             n=$(xmllint --xpath "count(/testsuites/testsuite)" "$1")
             m=$(xmllint --xpath "count(//property[@name=\"aip.waiver.${p%%:*}.status\" and @value=\"${p#*:}\"])" "$1")
             test "$n" = "$m" || exit 1; done' - "$f"
    wsha=$(sha256sum "$T/waivers.yaml" | cut -d' ' -f1)
    check "waivers: the waivers file's SHA-256" property "$f" aip.waivers.sha256 "$wsha"
fi

# ---- hostile text from the inventory -------------------------------------------------
# A system id with markup, quotes and a control character (YAML "\x01").
sed 's/sales-drafts/"sales<script>\&amp;\\"q\\" ]]> \\x01 \\x1b[2J"/g' $EX/gaps.yaml >"$T/hostile.yaml"
if report hostile 1 $PACK --profile sme-baseline -f "$T/hostile.yaml" --now 2026-11-27 --no-validate; then
    check "hostile: well-formed XML" xmllint --noout "$T/hostile.xml"
    validate hostile
    check "hostile: markup and control characters from facts are escaped" sh -c \
        'grep -q "sales&lt;script&gt;&amp;amp;&quot;q&quot; ]]&gt; \\\\x01 \\\\x1b\[2J" "$1" && ! grep -q "<script" "$1"' - "$T/hostile.xml"
fi

# ---- the validator is really checking ---------------------------------------------------
if [ -s "$T/gaps-baseline.xml" ]; then
    sed '0,/ hostname="localhost"/s/ hostname="localhost"//' "$T/gaps-baseline.xml" >"$T/broken.xml"
    check "a suite without hostname is rejected by JUnit.xsd (the schema is enforced)" sh -c \
        'xmllint --noout --schema "$1" "$2"; test $? = 3' - "$SCHEMAS/JUnit.xsd" "$T/broken.xml"
fi

finish
