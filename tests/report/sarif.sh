#!/bin/sh
# tests/report/sarif.sh BIN - the SARIF report on the shipped examples,
# validated against the official SARIF 2.1.0 schema (tests/schemas/, OASIS
# errata01, JSON Schema draft-04, migrated to draft-07 for ajv as
# ../shared/schemas/VALIDATE.md shows), checked against the limits GitHub code
# scanning enforces on upload, and cross-checked with the JSON report of the
# same evaluation (same verdicts, one result per finding, same kinds, levels,
# messages and lines).
#
# Run from the repository root (make test does): sh tests/report/sarif.sh bin/aip
# Tools: node and ajv-cli 5 with ajv-formats in .tools/
#   (npm install --prefix .tools ajv-cli@5.0.0 ajv-formats@3.0.1).
# Prints one line per check and ends with "sarif: N passed, N failed".
set -u
AIP=$1
case $AIP in /*) ;; *) AIP=$(pwd)/$AIP ;; esac
ROOT=$(pwd)
AJV=$ROOT/.tools/node_modules/.bin/ajv
SCHEMA=$ROOT/tests/schemas/sarif-schema-2.1.0.json
NOW=2026-11-27
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/     /' | head -20; fail=$((fail + 1)); }
finish() {
    echo "sarif: $pass passed, $fail failed"
    [ "$fail" = 0 ]
    exit $?
}

# ---- tools ---------------------------------------------------------------------
tools=1
if command -v node >/dev/null 2>&1; then ok "tool: node $(node --version)"; else
    bad "tool: node not found" "install it: apt-get install -y nodejs npm"; tools=0; fi
if [ -x "$AJV" ] && [ -d "$ROOT/.tools/node_modules/ajv-formats" ]; then ok "tool: ajv-cli and ajv-formats in .tools/"; else
    bad "tool: ajv-cli or ajv-formats missing from .tools/" "install them: npm install --prefix .tools ajv-cli@5.0.0 ajv-formats@3.0.1"; tools=0; fi
if [ -f "$SCHEMA" ]; then ok "schema: tests/schemas/sarif-schema-2.1.0.json"; else
    bad "schema: tests/schemas/sarif-schema-2.1.0.json is missing"; tools=0; fi
if [ -x "$AIP" ]; then ok "aip: $AIP"; else bad "aip: $AIP is not an executable"; tools=0; fi
[ $tools = 1 ] || finish

# The OASIS schema is draft-04, which ajv 8 cannot load: migrate a copy.
if out=$("$AJV" migrate -s "$SCHEMA" -o "$T/sarif7.json" 2>&1); then ok "schema: migrated to draft-07"; else
    bad "schema: ajv migrate failed" "$out"; finish; fi

validate() {   # validate NAME FILE: the file against the schema
    cp "$2" "$T/v.json"
    if out=$("$AJV" validate -s "$T/sarif7.json" -d "$T/v.json" -c ajv-formats --errors=text 2>&1); then
        ok "$1: valid SARIF 2.1.0"
    else
        bad "$1: not valid against the SARIF 2.1.0 schema" "$out"
    fi
}

# The validator must reject what is wrong, or a pass means nothing.
cat >"$T/bad.json" <<'EOF'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "aip"}},
 "results": [{"ruleId": "X", "kind": "failed", "message": {"text": "m"}}]}]}
EOF
if "$AJV" validate -s "$T/sarif7.json" -d "$T/bad.json" -c ajv-formats >/dev/null 2>&1; then
    bad "schema: a result with kind \"failed\" was accepted"
else
    ok "schema: rejects a result with kind \"failed\""
fi

# ---- the checks that need more than the schema (node) --------------------------------
cat >"$T/check.js" <<'EOF'
// node check.js SARIF JSON [repo]: GitHub code scanning limits and agreement
// with the JSON report of the same evaluation. Prints problems, one a line.
const fs = require('fs');
const [sarifFile, jsonFile, mode] = process.argv.slice(2);
const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
const rep = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
const errs = [];
const err = (m) => { if (errs.length < 30) errs.push(m); };
if (log.runs.length !== 1) err(`runs: ${log.runs.length}, want 1`);
const run = log.runs[0];
const rules = run.tool.driver.rules;
const results = run.results;
// GitHub's upload limits (docs: "SARIF results exceed limit") and required fields.
if (rules.length > 25000) err('more than 25000 rules');
if (results.length > 25000) err('more than 25000 results');
const ruleIds = new Map(rules.map((r, i) => [r.id, i]));
for (const r of rules) {
  for (const k of ['shortDescription', 'fullDescription', 'help'])
    if (!r[k] || !r[k].text) err(`rule ${r.id}: no ${k}.text`);
  for (const k of ['shortDescription', 'fullDescription'])
    if (r[k] && [...r[k].text].length > 1024) err(`rule ${r.id}: ${k} longer than 1024 characters`);
  if (((r.properties || {}).tags || []).length > 20) err(`rule ${r.id}: more than 20 tags`);
  if (!r.help.text.includes(r.shortDescription.text)) err(`rule ${r.id}: help does not state the subcategory`);
}
const fps = new Set();
for (const [i, res] of results.entries()) {
  const where = `result ${i} (${res.ruleId})`;
  if (!ruleIds.has(res.ruleId) || ruleIds.get(res.ruleId) !== res.ruleIndex) err(`${where}: ruleId/ruleIndex do not name a rule`);
  if (!res.message || !res.message.text) err(`${where}: no message text`);
  const locs = res.locations || [];
  if (locs.length < 1 || locs.length > 1000) err(`${where}: ${locs.length} locations (GitHub needs 1 to 1000)`);
  for (const l of locs) {
    const pl = l.physicalLocation;
    if (!pl || !pl.artifactLocation || !pl.artifactLocation.uri) { err(`${where}: a location without a uri`); continue; }
    if (!pl.region || !(pl.region.startLine >= 1)) err(`${where}: a location without region.startLine`);
    const uri = pl.artifactLocation.uri;
    if (mode === 'repo' && (uri.startsWith('/') || uri.split('/').includes('..') || uri.includes(':')))
      err(`${where}: uri ${uri} is not a path inside the repository`);
  }
  const fp = (res.partialFingerprints || {})['aipFinding/v1'];
  if (!/^[0-9a-f]{64}$/.test(fp || '')) err(`${where}: no aipFinding/v1 fingerprint`);
  if (fps.has(fp)) err(`${where}: duplicate fingerprint ${fp}`);
  fps.add(fp);
}
if (!run.automationDetails || !/^aip\/[^/]+\/[0-9a-f]{32}$/.test(run.automationDetails.id)) err('automationDetails.id is missing or malformed');
// Agreement with the JSON report.
const p = run.properties;
for (const k of ['evaluated_at', 'profile', 'fail_on', 'gate'])
  if (p[k] !== rep[k]) err(`properties.${k} = ${p[k]}, the JSON report says ${rep[k]}`);
if (p.bundle.sha256 !== rep.bundle.sha256) err('bundle sha256 differs from the JSON report');
if (JSON.stringify(p.facts) !== JSON.stringify(rep.facts)) err('facts files or hashes differ from the JSON report');
if (JSON.stringify(p.summary) !== JSON.stringify(rep.summary)) err('summary differs from the JSON report');
if (JSON.stringify(p.params) !== JSON.stringify(rep.params)) err('params file or hash differs from the JSON report');
if (JSON.stringify(p.waivers) !== JSON.stringify(rep.waivers)) err('waivers differ from the JSON report');
if (rules.length !== rep.controls.length) err(`${rules.length} rules for ${rep.controls.length} controls`);
let k = 0;
const errorIds = [];
for (const [ci, c] of rep.controls.entries()) {
  const rule = rules[ci] || {};
  if (rule.id !== c.id) err(`rule ${ci} is ${rule.id}, control ${ci} is ${c.id}`);
  const rp = rule.properties || {};
  if (rp.verdict !== c.verdict) err(`${c.id}: verdict ${rp.verdict}, the JSON report says ${c.verdict}`);
  if (rp.enforcement !== c.enforce) err(`${c.id}: enforcement ${rp.enforcement}, the JSON report says ${c.enforce}`);
  if (JSON.stringify(rp.focus) !== JSON.stringify(c.focus) || JSON.stringify(rp.priority) !== JSON.stringify(c.priority))
    err(`${c.id}: focus or priority differ from the JSON report`);
  if (c.verdict === 'error') errorIds.push(c.id);
  for (const f of c.findings) {
    const res = results[k++];
    if (!res || res.ruleId !== c.id) { err(`${c.id}: result ${k - 1} is not its finding`); continue; }
    const want = f.kind === 'violation' ? ['fail', c.enforce === 'mandatory' ? 'error' : 'warning'] : ['open', 'none'];
    if (res.kind !== want[0] || res.level !== want[1]) err(`${c.id}: ${f.kind} as ${res.kind}/${res.level}, want ${want.join('/')}`);
    const [head, why] = res.message.text.split('\nbecause: ');
    if (head !== f.message) err(`${c.id}: message differs: ${res.message.text}`);
    const bc = f.because || [];
    if (!!why !== bc.length > 0) err(`${c.id}: because in SARIF ${JSON.stringify(why)}, ${bc.length} items in the JSON report`);
    let at = 0;   /* each deciding expression appears, in order */
    for (const b of bc) {
      const i = (why || '').indexOf(b.expr, at);
      if (i < 0) { err(`${c.id}: because item '${b.expr}' is not in the SARIF message`); break; }
      at = i + b.expr.length;
    }
    const reg = ((res.locations || [])[0] || { physicalLocation: {} }).physicalLocation.region || {};
    const line = f.location ? f.location.line : (f.policy_location || {}).line;
    if (reg.startLine !== line) err(`${c.id}: startLine ${reg.startLine}, the JSON report says ${line}`);
    const rprops = res.properties || {};
    if (rprops.path !== f.path) err(`${c.id}: path ${rprops.path}, want ${f.path}`);
    if (rprops.control_verdict !== c.verdict) err(`${c.id}: control_verdict differs`);
    const sup = (res.suppressions || [])[0];
    if (!!f.waived_by !== !!sup) err(`${c.id}: waived_by ${f.waived_by} but suppressions ${JSON.stringify(res.suppressions)}`);
    if (sup && (sup.status !== 'accepted' || rprops.waived_by !== f.waived_by || !sup.justification))
      err(`${c.id}: the suppression does not name waiver ${f.waived_by} with a justification`);
    if (c.verdict === 'waived' && f.kind === 'violation' && !sup) err(`${c.id}: a violation of a waived control without suppressions`);
  }
}
if (k !== results.length) err(`${results.length} results for ${k} findings`);
const inv = run.invocations[0];
const notes = inv.toolExecutionNotifications.map((n) => n.associatedRule.id);
if (JSON.stringify(notes) !== JSON.stringify(errorIds)) err(`error notifications for [${notes}], error controls [${errorIds}]`);
if (inv.executionSuccessful !== (errorIds.length === 0)) err('executionSuccessful does not match the error verdicts');
if (inv.exitCode !== (rep.gate === 'fail' ? 1 : 0)) err('exitCode does not match the gate');
if (process.env.WANT_WAIVERS) {
  const st = ((p.waivers || {}).entries || []).map((w) => w.status).join(',');
  if (st !== process.env.WANT_WAIVERS) err(`waiver statuses ${st}, want ${process.env.WANT_WAIVERS}`);
  if (!results.some((r) => r.suppressions && r.suppressions[0].status === 'accepted' && r.suppressions[0].justification))
    err('no result carries an accepted suppression with a justification');
  const cn = inv.toolConfigurationNotifications.map((n) => n.descriptor.id).join(',');
  if (cn !== 'aip/waiver-expired,aip/waiver-unused') err(`configuration notifications ${cn}`);
  if (!p.waivers || !/^[0-9a-f]{64}$/.test(p.waivers.sha256)) err('waivers file and hash missing');
}
console.log(errs.join('\n'));
EOF

# check NAME STATUS MODE AIP-ARGS...: evaluate as SARIF and as JSON, then
# validate and cross-check. STATUS is the exit status the gate should give.
check() {
    name=$1 want=$2 mode=$3
    shift 3
    "$AIP" eval "$@" --format sarif >"$T/$name.sarif" 2>"$T/err"
    st=$?
    if [ "$st" != "$want" ]; then
        bad "$name: aip eval --format sarif exited $st, want $want" "$(cat "$T/err")"
        return
    fi
    ok "$name: aip eval --format sarif exited $st"
    validate "$name" "$T/$name.sarif"
    "$AIP" eval "$@" --format json >"$T/$name.json" 2>/dev/null
    if out=$(node "$T/check.js" "$T/$name.sarif" "$T/$name.json" "$mode" 2>&1) && [ -z "$out" ]; then
        ok "$name: GitHub limits, and the same story as the JSON report"
    else
        bad "$name: disagrees with the JSON report or GitHub's limits" "$out"
    fi
    "$AIP" eval "$@" --format sarif >"$T/$name.again" 2>/dev/null
    if cmp -s "$T/$name.sarif" "$T/$name.again"; then ok "$name: deterministic"; else
        bad "$name: two runs gave different bytes"; fi
}

P=policies/ir8596
check gaps-sme 1 repo $P --profile sme-baseline -f examples/sme/gaps.yaml --now $NOW
check gaps-all 1 repo $P -f examples/sme/gaps.yaml --now $NOW
check compliant-sme 0 repo $P --profile sme-baseline -f examples/sme/compliant.yaml --now $NOW
check constructs-yaml 1 repo tests/golden/constructs/policy -f tests/golden/constructs/facts.yaml --now $NOW
check constructs-json 1 repo tests/golden/constructs/policy -f tests/golden/constructs/facts.json --now $NOW
check constructs-params 0 repo tests/golden/constructs/policy -f tests/golden/constructs/facts.yaml --now $NOW \
    --params tests/golden/constructs/params/params.yaml --fail-on none

# --base: URIs relative to another directory (here the examples directory).
"$AIP" eval $P --profile sme-baseline -f examples/sme/gaps.yaml --now $NOW --format sarif --base examples >"$T/base.sarif" 2>"$T/err"
if grep -q '"uri": "sme/gaps.yaml"' "$T/base.sarif" && grep -q '"uri": "../policies/ir8596/' "$T/base.sarif"; then
    ok "base: URIs relative to --base examples"
else
    bad "base: URIs are not relative to --base examples" "$(cat "$T/err"; grep '"uri"' "$T/base.sarif" | sort -u | head -5)"
fi
validate base "$T/base.sarif"

# Waivers: one active (GV.SC-05 for support-assistant), one expired, one unused.
cat >"$T/waivers.yaml" <<'EOF'
- control: GV.SC-05
  target: support-assistant
  reason: DPA with llm-vendor signed, upload to the inventory pending (ticket SEC-42)
  approved_by: ciso@example.com
  expires: "2027-06-30"
- control: PR.AA-01
  target: support-assistant
  reason: old exception
  approved_by: ciso@example.com
  expires: "2025-01-31"
- control: GV.OC-01
  target: no-such-system
  reason: never matches
  approved_by: ciso@example.com
  expires: "2027-06-30"
EOF
if "$AIP" eval $P --profile sme-baseline -f examples/sme/gaps.yaml --now $NOW --waivers "$T/waivers.yaml" \
        --format json >/dev/null 2>"$T/err" || [ $? = 1 ]; then
    WANT_WAIVERS=active,expired,unused
    export WANT_WAIVERS
    check waivers 1 repo $P --profile sme-baseline -f examples/sme/gaps.yaml --now $NOW --waivers "$T/waivers.yaml"
    unset WANT_WAIVERS
    # by path pattern too, and a control waived as a whole (PR.AA-01)
    check waivers-pattern 1 repo $P --profile sme-baseline -f examples/sme/gaps.yaml --now $NOW \
        --waivers tests/golden/reports/sarif-waivers/waivers.yaml
    if grep -q '"control_verdict": "waived"' "$T/waivers-pattern.sarif"; then ok "waivers-pattern: a waived control"; else
        bad "waivers-pattern: no control is waived"; fi
else
    bad "waivers: aip eval --waivers FILE does not work" "$(cat "$T/err")"
fi

finish
