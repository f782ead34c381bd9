#!/bin/sh
# tests/report/oscal.sh AIP - the OSCAL report against the official schema.
#
# Run from the repository root (`make test` does): sh tests/report/oscal.sh bin/aip
#
# Generates OSCAL 1.1.3 assessment-results documents from the shipped
# examples (the gaps inventory against the full IR 8596 pack and the
# sme-baseline profile, with and without waivers; the constructs golden
# policy, which has error, unknown and not_applicable verdicts) and checks:
#   - each validates against tests/schemas/oscal_assessment-results_schema.json
#     with ajv-cli and ajv-formats (as ../shared/schemas/VALIDATE.md says),
#     and ajv rejects a document with a broken UUID (the validator is live);
#   - the golden expected outputs (tests/golden/reports/oscal-*) validate too;
#   - every uuid is a version 5 UUID, unique, and every reference resolves;
#   - it agrees with the JSON report of the same evaluation: one finding per
#     control, the exact verdict as aip-verdict, the mapped status, one
#     observation per aip finding with the manifest file and line;
#   - two runs are byte-identical, and another --now changes the UUIDs.
# One line per check, then "oscal: N passed, N failed"; exit 1 on a failure.
# A missing tool is a failure that says how to install it.
set -u
AIP=${1:-bin/aip}
SCHEMA=tests/schemas/oscal_assessment-results_schema.json
AJV=.tools/node_modules/.bin/ajv
pass=0
fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "FAIL - $1"; [ -s "$T/log" ] && sed 's/^/    /' "$T/log" | head -20; fail=$((fail + 1)); }
finish() { echo "oscal: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

# ---- tools ---------------------------------------------------------------------
: >"$T/log"
if [ ! -x "$AIP" ]; then
    bad "aip binary $AIP not found (build it: make bin/aip)"
    finish
fi
if ! command -v node >/dev/null 2>&1; then
    bad "node not found: install it with 'apt-get install -y nodejs npm'"
    finish
fi
if [ ! -x "$AJV" ] || [ ! -d .tools/node_modules/ajv-formats ]; then
    bad "ajv not found at $AJV: install it with 'npm install --prefix .tools ajv-cli@5.0.0 ajv-formats@3.0.1'"
    finish
fi
if [ ! -f "$SCHEMA" ]; then
    bad "schema $SCHEMA missing (see tests/schemas/SOURCES.md)"
    finish
fi
ok "tools: $AIP, node $(node --version), $AJV"

# ---- checks --------------------------------------------------------------------

# The node program behind the structural checks (uuids, agreement with JSON).
cat >"$T/check.js" <<'EOF'
'use strict';
const fs = require('fs');
const [mode, oscalFile, jsonFile] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(oscalFile, 'utf8'));
const ar = doc['assessment-results'];
const res = ar.results[0];
const problems = [];
const V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const prop = (o, name, cls) => ((o.props || []).find(p => p.name === name && (!cls || p.class === cls)) || {}).value;

if (mode === 'uuids') {
  const seen = new Map(), refs = [];
  (function walk(o) {
    if (Array.isArray(o)) return o.forEach(walk);
    if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'uuid') {
          if (!V5.test(v)) problems.push(`not a lower-case version 5 UUID: ${v}`);
          if (seen.has(v)) problems.push(`uuid ${v} twice`);
          seen.set(v, true);
        } else if (/^(observation|risk|actor|component)-uuid$/.test(k)) refs.push(v);
        else if (k === 'href' && typeof v === 'string' && v.startsWith('#')) refs.push(v.slice(1));
        walk(v);
      }
    }
  })(doc);
  for (const r of refs) if (!seen.has(r)) problems.push(`reference ${r} resolves to nothing`);
  if (!seen.size) problems.push('no uuid at all');
} else if (mode === 'agree') {
  const js = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  const map = {
    pass: ['satisfied', 'pass'], fail: ['not-satisfied', 'fail'], waived: ['not-satisfied', 'fail'],
    unknown: ['not-satisfied', 'other'], error: ['not-satisfied', 'other'], not_applicable: ['satisfied', 'other'],
  };
  const obs = new Map((res.observations || []).map(o => [o.uuid, o]));
  const findings = res.findings || [];
  if (findings.length !== js.controls.length)
    problems.push(`${findings.length} findings for ${js.controls.length} controls`);
  for (const c of js.controls) {
    const f = findings.filter(x => prop(x, 'csf-subcategory') === c.id);
    if (f.length !== 1) { problems.push(`${c.id}: ${f.length} findings`); continue; }
    const t = f[0].target;
    if (t.type !== 'objective-id' || t['target-id'] !== c.id.toLowerCase() + '_obj')
      problems.push(`${c.id}: target ${t.type} ${t['target-id']}`);
    if (prop(f[0], 'aip-verdict') !== c.verdict)
      problems.push(`${c.id}: aip-verdict ${prop(f[0], 'aip-verdict')}, JSON says ${c.verdict}`);
    const [state, reason] = map[c.verdict];
    if (t.status.state !== state || t.status.reason !== reason)
      problems.push(`${c.id}: ${c.verdict} as ${t.status.state}/${t.status.reason}, expected ${state}/${reason}`);
    const rel = (f[0]['related-observations'] || []).map(r => obs.get(r['observation-uuid']));
    if (rel.length !== c.findings.length + 1 || rel.some(o => !o)) {
      problems.push(`${c.id}: ${rel.length} related observations for ${c.findings.length} findings`);
      continue;
    }
    c.findings.forEach((jf, i) => {
      const o = rel[i + 1];
      if (prop(o, 'finding-kind') !== jf.kind) problems.push(`${c.id} finding ${i + 1}: kind ${prop(o, 'finding-kind')} vs ${jf.kind}`);
      const waived = prop(o, 'waived-by');
      if (jf.location) {
        const ev = (o['relevant-evidence'] || [])[0] || {};
        const want = encodeURI(jf.location.file).replace(/[:?#\[\]]/g, ch => '%' + ch.charCodeAt(0).toString(16).toUpperCase())
          + '#L' + jf.location.line;
        if (ev.href !== want) problems.push(`${c.id} finding ${i + 1}: evidence ${ev.href}, expected ${want}`);
      } else if (o['relevant-evidence']) problems.push(`${c.id} finding ${i + 1}: evidence without a location`);
      if (c.verdict === 'waived' && jf.kind === 'violation' && !waived)
        problems.push(`${c.id} finding ${i + 1}: waived control, violation without waived-by`);
    });
    if (c.verdict === 'waived' && !(f[0]['related-risks'] || []).length)
      problems.push(`${c.id}: waived without a related risk`);
  }
  for (const [v, n] of Object.entries(js.summary))
    if (v !== 'total' && prop(res, 'verdict-count', v) !== String(n))
      problems.push(`verdict-count ${v}: ${prop(res, 'verdict-count', v)}, JSON says ${n}`);
  if (prop(res, 'gate') !== js.gate) problems.push(`gate ${prop(res, 'gate')}, JSON says ${js.gate}`);
  const md = ar.metadata;
  if (prop(md, 'bundle-sha256') !== js.bundle.sha256) problems.push('bundle-sha256 differs from the JSON report');
  js.facts.forEach((f, i) => {
    if (prop(md, 'facts-sha256') === undefined || !(md.props || []).some(p => p.name === 'facts-sha256' && p.group === `facts-${i + 1}` && p.value === f.sha256))
      problems.push(`facts file ${f.file}: SHA-256 missing from metadata`);
  });
  if (prop(md, 'evaluated-at') !== js.evaluated_at) problems.push('evaluated-at differs');
  if (prop(md, 'profile') !== (js.profile === null ? '(none)' : js.profile)) problems.push('profile differs');
} else if (mode === 'ids') {
  console.log(`${ar.uuid} ${res.uuid} ${(res.findings || [{}])[0].uuid}`);
} else if (mode === 'waivers') {
  const st = (ar['back-matter'].resources || []).filter(r => prop(r, 'resource-role') === 'waiver').map(r => prop(r, 'waiver-status'));
  for (const s of ['active', 'expired', 'unused']) if (!st.includes(s)) problems.push(`no ${s} waiver in the back-matter`);
  for (const r of res.risks || []) if (r.status !== 'deviation-approved') problems.push(`risk status ${r.status}`);
  if (!(res.risks || []).length) problems.push('no risk for the active waivers');
}
for (const p of problems.slice(0, 20)) console.log(p);
process.exit(problems.length ? 1 : 0);
EOF

# validate NAME FILE: ajv against the schema (the data file must end in .json)
validate() {
    cp "$2" "$T/v.json"
    if "$AJV" validate -s "$SCHEMA" -d "$T/v.json" -c ajv-formats --errors=text >"$T/log" 2>&1; then
        ok "$1: valid OSCAL 1.1.3 assessment-results"
    else
        bad "$1: not valid against $SCHEMA"
    fi
}

# run NAME OUT ARGS...: aip eval with OSCAL to OUT and JSON to OUT.json; exit 0 or 1 is a report
run() {
    name=$1 out=$2
    shift 2
    "$AIP" eval "$@" --report oscal="$out" --report json="$out.report.json" >"$T/log" 2>&1
    st=$?
    if [ $st -le 1 ] && [ -s "$out" ]; then
        ok "$name: aip wrote the report (exit $st)"
        return 0
    fi
    bad "$name: aip exited $st"
    return 1
}

node_check() {
    if node "$T/check.js" "$2" "$3" "${4:-}" >"$T/log" 2>&1; then ok "$1"; else bad "$1"; fi
}

set -- \
    "gaps-full|policies/ir8596 -f examples/sme/gaps.yaml" \
    "gaps-sme-baseline|policies/ir8596 --profile sme-baseline -f examples/sme/gaps.yaml" \
    "gaps-waivers|policies/ir8596 --profile sme-baseline -f examples/sme/gaps.yaml --waivers tests/golden/reports/oscal-waivers/waivers.yaml" \
    "constructs|tests/golden/constructs/policy -f tests/golden/constructs/facts.yaml" \
    "constructs-two-files|tests/golden/constructs/policy -f tests/golden/constructs/facts.yaml -f tests/golden/constructs/facts.json"
for c in "$@"; do
    name=${c%%|*}
    args=${c#*|}
    out="$T/$name.json"
    # shellcheck disable=SC2086 # the arguments are words
    run "$name" "$out" $args --now 2026-11-27 || continue
    validate "$name" "$out"
    node_check "$name: uuids are version 5, unique and resolve" uuids "$out"
    node_check "$name: agrees with the JSON report (verdicts, status, evidence, integrity)" agree "$out" "$out.report.json"
    case $name in
    gaps-waivers) node_check "$name: active, expired and unused waivers shown; risks deviation-approved" waivers "$out" ;;
    esac
done

# the validator is live: a version 1 UUID is rejected
if [ -s "$T/gaps-sme-baseline.json" ]; then
    node -e 'const fs = require("fs"); const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
             d["assessment-results"].uuid = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
             fs.writeFileSync(process.argv[2], JSON.stringify(d));' \
        "$T/gaps-sme-baseline.json" "$T/broken.json"
    if "$AJV" validate -s "$SCHEMA" -d "$T/broken.json" -c ajv-formats --errors=text >"$T/log" 2>&1; then
        bad "a document with a version 1 UUID was accepted: the validator checks nothing"
    else
        : >"$T/log"
        ok "a document with a version 1 UUID is rejected"
    fi
fi

# determinism, and another date gives other UUIDs
"$AIP" eval policies/ir8596 -f examples/sme/gaps.yaml --now 2026-11-27 --format oscal >"$T/a.json" 2>/dev/null
"$AIP" eval policies/ir8596 -f examples/sme/gaps.yaml --now 2026-11-27 --format oscal >"$T/b.json" 2>/dev/null
if [ -s "$T/a.json" ] && cmp -s "$T/a.json" "$T/b.json"; then
    ok "two runs give byte-identical documents"
else
    : >"$T/log"
    bad "two runs differ"
fi
"$AIP" eval policies/ir8596 -f examples/sme/gaps.yaml --now 2026-11-28 --format oscal >"$T/c.json" 2>/dev/null
ida=$(node "$T/check.js" ids "$T/a.json" 2>/dev/null)
idc=$(node "$T/check.js" ids "$T/c.json" 2>/dev/null)
set -- $ida
d1=${1:-x} r1=${2:-x} f1=${3:-x}
set -- $idc
if [ -n "$ida" ] && [ -n "$idc" ] && [ "$d1" != "${1:-x}" ] && [ "$r1" != "${2:-x}" ] && [ "$f1" != "${3:-x}" ]; then
    ok "another --now changes the document, result and finding UUIDs"
else
    echo "$ida / $idc" >"$T/log"
    bad "another --now keeps UUIDs"
fi

# the golden outputs are valid documents too
for g in tests/golden/reports/oscal-*/expected.out; do
    [ -f "$g" ] || continue
    validate "golden $(basename "$(dirname "$g")")" "$g"
done

finish
