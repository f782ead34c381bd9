// tests/editors/tokenize.mjs FILE... - the TextMate grammar
// (lang/editors/aip.tmLanguage.json) under the engine VS Code uses
// (vscode-textmate with the Oniguruma WebAssembly regex library, both from
// .tools/node_modules). It loads the grammar, tokenizes every line of every
// FILE, and checks:
//   - the grammar loads (every regular expression compiles);
//   - no line throws, and no line takes more than 1 s (runaway backtracking);
//   - every line ends back at the top level (strings, {expr} and other
//     one-line constructs never leak into the next line);
//   - a sample of scopes on synthetic lines and on the shipped files.
// Prints "ok   ..." / "FAIL ..." per check; the exit status is the number of
// failures (capped at 100). Run from the repository root.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = process.cwd();
const require = createRequire(path.join(root, '.tools', 'package.json'));
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

let pass = 0, fail = 0;
const ok = (m) => { console.log(`ok   ${m}`); pass++; };
const bad = (m, detail) => {
  console.log(`FAIL ${m}`);
  if (detail) for (const l of String(detail).split('\n').slice(0, 20)) console.log(`     ${l}`);
  fail++;
};

const GRAMMAR = path.join(root, 'lang/editors/aip.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const onigLib = Promise.resolve({
    createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
    createOnigString: (s) => new oniguruma.OnigString(s),
  });
  const registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async (scope) => {
      if (scope !== 'source.aip') return null;
      const text = fs.readFileSync(GRAMMAR, 'utf8');
      return vsctm.parseRawGrammar(text, GRAMMAR);
    },
  });
  const g = await registry.loadGrammar('source.aip');
  if (!g) throw new Error('loadGrammar returned null');
  // Compile every rule now: a bad regular expression throws on first use.
  g.tokenizeLine('package p # "{x}" 1.5 90d PR.AA-01', vsctm.INITIAL);
  return g;
}

// Every regular expression of the grammar compiles under Oniguruma on its
// own (the engine compiles lazily, so a broken rule that the sample never
// reaches would otherwise go unnoticed).
function checkRegexes(raw) {
  const errors = [];
  const walk = (node, where) => {
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${where}[${i}]`)); return; }
    if (!node || typeof node !== 'object') return;
    for (const key of ['match', 'begin', 'end', 'while']) {
      if (typeof node[key] === 'string') {
        try {
          const sc = new oniguruma.OnigScanner([node[key]]);
          sc.dispose();
        } catch (e) {
          errors.push(`${where}.${key}: ${e.message}`);
        }
      }
    }
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object') walk(v, `${where}.${k}`);
  };
  walk(raw, '$');
  return errors;
}

function tokenizeText(g, text) {
  let stack = vsctm.INITIAL;
  const lines = text.split(/\r?\n/);
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const r = g.tokenizeLine(lines[i], stack);
    out.push({ line: lines[i], tokens: r.tokens, stack: r.ruleStack, stoppedEarly: r.stoppedEarly });
    stack = r.ruleStack;
  }
  return out;
}

// The scopes of the token that covers the first occurrence of needle in line
// (at offset `at` within the needle).
function scopesAt(tok, needle, at = 0) {
  const col = tok.line.indexOf(needle);
  if (col < 0) return null;
  const c = col + at;
  const t = tok.tokens.find((x) => x.startIndex <= c && c < x.endIndex);
  return t ? t.scopes : null;
}

function expectScope(g, what, line, needle, want, opts = {}) {
  const [tok] = tokenizeText(g, line);
  const scopes = scopesAt(tok, needle, opts.at ?? 0);
  // want "a.b.aip" matches the scope a.b.aip and any a.b.*.aip below it
  const has = (w) => {
    const stem = w.replace(/\.aip$/, '');
    return scopes && scopes.some((s) => s === w || s.startsWith(stem + '.'));
  };
  const wants = Array.isArray(want) ? want : [want];
  const missing = wants.filter((w) => !has(w));
  const forbidden = (opts.not ?? []).filter((w) => has(w));
  const said = [...wants, ...(opts.not ?? []).map((w) => `not ${w}`)].join(' + ');
  if (scopes && missing.length === 0 && forbidden.length === 0)
    ok(`textmate: ${what}: ${JSON.stringify(needle)} in ${JSON.stringify(line)} is ${said}`);
  else
    bad(`textmate: ${what}: ${JSON.stringify(needle)} in ${JSON.stringify(line)} should be ${wants.join(' + ')}` +
        (forbidden.length ? ` and not ${forbidden.join(', ')}` : ''),
        `scopes: ${scopes ? scopes.join(' ') : '(no token)'}`);
}

async function main() {
  const files = process.argv.slice(2);
  let raw;
  try {
    raw = JSON.parse(fs.readFileSync(GRAMMAR, 'utf8'));
  } catch (e) {
    bad('textmate: lang/editors/aip.tmLanguage.json is not valid JSON', e.message);
    return;
  }
  if (raw.scopeName === 'source.aip' && JSON.stringify(raw.fileTypes) === '["aip"]')
    ok('textmate: scopeName source.aip, fileTypes ["aip"]');
  else
    bad('textmate: scopeName must be source.aip and fileTypes ["aip"]', `${raw.scopeName} ${JSON.stringify(raw.fileTypes)}`);

  let g;
  try {
    g = await loadGrammar();
    ok('textmate: grammar loads in vscode-textmate with vscode-oniguruma');
  } catch (e) {
    bad('textmate: grammar does not load', e.stack || e.message);
    return;
  }
  const rxErrors = checkRegexes(raw);
  if (rxErrors.length === 0) ok('textmate: every regular expression compiles under Oniguruma');
  else bad(`textmate: ${rxErrors.length} regular expression(s) do not compile`, rxErrors.join('\n'));

  // The VS Code extension manifest points at the grammar.
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'lang/editors/package.json'), 'utf8'));
    const lang = (pkg.contributes?.languages ?? []).find((l) => l.id === 'aip');
    const gr = (pkg.contributes?.grammars ?? []).find((x) => x.language === 'aip');
    const conf = lang && lang.configuration &&
      JSON.parse(fs.readFileSync(path.join(root, 'lang/editors', lang.configuration), 'utf8'));
    const problems = [];
    if (!lang) problems.push('no contributes.languages entry with id aip');
    else if (!(lang.extensions ?? []).includes('.aip')) problems.push('language aip does not list the .aip extension');
    if (!gr) problems.push('no contributes.grammars entry for language aip');
    else {
      if (gr.scopeName !== 'source.aip') problems.push(`grammar scopeName is ${gr.scopeName}`);
      if (path.resolve(root, 'lang/editors', gr.path) !== GRAMMAR) problems.push(`grammar path ${gr.path} is not aip.tmLanguage.json`);
    }
    if (!conf) problems.push('no language-configuration.json');
    else if (conf.comments?.lineComment !== '#') problems.push('language configuration: line comment is not #');
    if (problems.length === 0) ok('vscode: package.json contributes language aip (.aip), its grammar and configuration');
    else bad('vscode: package.json / language-configuration.json', problems.join('\n'));
  } catch (e) {
    bad('vscode: package.json or language-configuration.json does not parse', e.message);
  }

  // ---- every shipped file ---------------------------------------------------
  let nlines = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const problems = [];
    let stack = vsctm.INITIAL;
    const lines = text.split(/\r?\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the final newline
    for (let i = 0; i < lines.length; i++) {
      const t0 = process.hrtime.bigint();
      let r;
      try {
        r = g.tokenizeLine(lines[i], stack, 1000);
      } catch (e) {
        problems.push(`${f}:${i + 1}: tokenizeLine threw: ${e.message}`);
        stack = vsctm.INITIAL;
        continue;
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.stoppedEarly || ms > 1000) problems.push(`${f}:${i + 1}: tokenizing took ${ms.toFixed(0)} ms`);
      if (r.ruleStack.depth !== 1) {
        const last = r.tokens[r.tokens.length - 1];
        problems.push(`${f}:${i + 1}: the line ends inside ${last ? last.scopes.slice(1).join(' ') : '?'}`);
      }
      stack = r.ruleStack;
      nlines++;
    }
    if (problems.length === 0) ok(`textmate: ${f}: ${lines.length} lines`);
    else bad(`textmate: ${f}`, problems.join('\n'));
  }
  if (files.length === 0) bad('textmate: no .aip files given');
  else ok(`textmate: ${files.length} files, ${nlines} lines tokenized`);

  // ---- a sample of scopes on synthetic lines ---------------------------------
  const E = (...a) => expectScope(g, ...a);
  E('comment', '# a comment', '# a comment', 'comment.line.number-sign.aip');
  E('comment after code', 'param x = 1  # trailing', '# trailing', 'comment.line.number-sign.aip');
  E('reserved word', 'control PR.AA-01 {', 'control', 'keyword.other.declaration.aip');
  E('control id', 'control PR.AA-01 {', 'PR.AA-01', 'constant.other.control-id.aip');
  E('not a control id (4 digits)', 'require PR.AA-0123', 'PR.AA-0123', [], { not: ['constant.other.control-id.aip'] });
  E('package', 'package ir8596.protect', 'ir8596.protect', 'entity.name.namespace.aip');
  E('uses manifest', 'uses manifest ai-inventory/v1alpha1', 'manifest', 'keyword.other.manifest.aip');
  E('manifest format', 'uses manifest ai-inventory/v1alpha1', 'ai-inventory/v1alpha1', 'string.unquoted.manifest-format.aip');
  E('import as', 'import "lib/util.aip" as util', 'as', 'keyword.other.as.aip');
  E('import path', 'import "lib/util.aip" as util', 'lib/util.aip', 'string.quoted.double.aip');
  E('param name', 'param max_rotation_days = 90', 'max_rotation_days', 'variable.other.constant.param.aip');
  E('param keyword', 'param max_rotation_days = 90', 'param', 'keyword.other.declaration.aip');
  E('def name', 'def is_prod(s) = s.lifecycle == "production"', 'is_prod', 'entity.name.function.aip');
  E('def parameter', 'def rotated_within(cred, days) = 1', 'days', 'variable.parameter.aip');
  E('profile name', 'profile sme-baseline "SME" { PR.AA-01 }', 'sme-baseline', 'entity.name.type.profile.aip');
  E('string', 'require ok else "{sys.id} is shared"', '"', 'string.quoted.double.aip');
  E('interpolation', 'require ok else "{sys.id} is shared"', 'sys', ['string.quoted.double.aip', 'meta.embedded.expression.aip']);
  E('interpolation brace', 'require ok else "{sys.id} is shared"', '{', 'punctuation.section.interpolation.begin.aip');
  E('text after interpolation', 'require ok else "{sys.id} is shared"', 'is shared', 'string.quoted.double.aip', { not: ['meta.embedded.expression.aip'] });
  E('keyword inside interpolation', '"{count(t in xs where t.ok)} tools"', 'count', 'keyword.operator.quantifier.aip');
  E('map literal inside interpolation', '"{values({b: 2, a: 1})} ok"', ' ok', 'string.quoted.double.aip', { not: ['meta.embedded.expression.aip'] });
  E('string inside interpolation', '"{x ?? "none"} left"', ' left', 'string.quoted.double.aip', { not: ['meta.embedded.expression.aip'] });
  E('literal brace {{', '"^\\\\d{{4}}$"', '{{', 'constant.character.escape.brace.aip', { not: ['meta.interpolation.aip'] });
  E('escape', '"a\\"b\\n"', '\\"', 'constant.character.escape.aip');
  E('unicode escape', '"\\u{1F600}"', '\\u{1F600}', 'constant.character.escape.aip');
  E('bad escape', '"\\q"', '\\q', 'invalid.illegal.escape.aip');
  E('lone }', '"a } b"', '}', 'invalid.illegal.brace.aip');
  E('integer', 'param x = 90', '90', 'constant.numeric.integer.aip');
  E('double', 'param x = 1.5e-3', '1.5e-3', 'constant.numeric.float.aip');
  for (const d of ['90d', '2w', '12h', '30m'])
    E(`duration ${d}`, `attest within ${d}`, d, 'constant.numeric.duration.aip');
  E('bad duration', 'attest within 90dx', '90dx', 'invalid.illegal.number.aip');
  E('attest within', 'attest within 365d', 'within', 'keyword.other.within.aip');
  E('attest', 'attest within 365d', 'attest', 'keyword.control');
  E('title', '  title    "Credentials are managed"', 'title', 'keyword.other.metadata.aip');
  E('focus', '  focus    secure, defend', 'focus', 'keyword.other.metadata.aip');
  E('focus area', '  focus    secure, defend', 'defend', 'constant.language.metadata.aip');
  E('priority', '  priority secure 1, defend 2', '1', 'constant.numeric.integer.aip');
  E('enforce', '  enforce  advisory', 'advisory', 'constant.language.metadata.aip');
  E('evidence', '  evidence "IAM configuration"', 'evidence', 'keyword.other.metadata.aip');
  E('maps', '  maps     sp800_53 "IA-5", iso27001 "A.5.17"', 'maps', 'keyword.other.metadata.aip');
  E('help', '  help     ir8596', 'help', 'keyword.other.metadata.aip');
  E('title as a field', 'require x.title == "a"', 'title', 'variable.other.property.aip', { not: ['keyword'] });
  E('count as a field', 'require x.count > 1', 'count', 'variable.other.property.aip', { not: ['keyword'] });
  E('reserved word as a map key', 'param m = {control: 1}', 'control', 'variable.other.key.aip', { not: ['keyword'] });
  E('for', 'for sys in inventory.ai_systems where is_prod(sys) {', 'for', 'keyword.control.aip');
  E('where', 'for sys in inventory.ai_systems where is_prod(sys) {', 'where', 'keyword.control.aip');
  E('in', 'for sys in inventory.ai_systems where is_prod(sys) {', 'in', 'keyword.operator.in.aip');
  E('inventory', 'for sys in inventory.ai_systems {', 'inventory', 'variable.language.inventory.aip');
  E('user function call', 'for sys in inventory.ai_systems where is_prod(sys) {', 'is_prod', 'entity.name.function.call.aip');
  E('imported function call', 'require ai.within_days(d, 3)', 'within_days', 'entity.name.function.call.aip');
  E('quantifier', 'require all e in xs: e in log.events', 'all', 'keyword.operator.quantifier.aip');
  E('logical', 'require a and not b or c', 'not', 'keyword.operator.logical.aip');
  E('boolean', 'require x == true', 'true', 'constant.language.boolean.aip');
  E('null', 'require x != null', 'null', 'constant.language.null.aip');
  for (const b of ['len', 'lower', 'upper', 'starts_with', 'ends_with', 'contains', 'matches', 'days_since', 'date', 'now', 'semver_cmp', 'keys', 'values', 'type', 'exists'])
    E(`builtin ${b}`, `require ${b}(x) == 1`, b, 'support.function.builtin.aip');
  E('operator ??', 'let r = x ?? 0', '??', 'keyword.operator.coalesce.aip');
  E('operator <=', 'require a <= b', '<=', 'keyword.operator.comparison.aip');
  E('operator &&', 'require a && b', '&&', 'invalid.illegal.operator.aip');
  E('test now', '  now "2026-11-27"', 'now', 'keyword.other.test.aip');
  E('test given', '  given "fixtures/shared.yaml"', 'given', 'keyword.other.test.aip');
  E('test params', '  params { max_credential_age_days: 30 }', 'params', 'keyword.other.test.aip');
  E('expect', '  expect PR.AA-01 fail findings 2', 'expect', 'keyword.other.test.expect.aip');
  E('expect id', '  expect PR.AA-01 fail findings 2', 'PR.AA-01', 'constant.other.control-id.aip');
  E('verdict', '  expect PR.AA-01 not_applicable', 'not_applicable', 'constant.language.verdict.aip');
  E('findings', '  expect PR.AA-01 fail findings 2', 'findings', 'keyword.other.test.findings.aip');
  {
    const toks = tokenizeText(g, 'require "unterminated {inventory.x" == "a"\ncontrol PR.AA-02 {');
    const s = scopesAt(toks[1], 'control');
    if (s && s.includes('keyword.other.declaration.aip') && !s.some((x) => x.startsWith('string')))
      ok('textmate: an unterminated string ends at the end of its line');
    else bad('textmate: an unterminated string leaks into the next line', s && s.join(' '));
  }

  // ---- a sample of scopes on the shipped files ---------------------------------
  const fileCheck = (file, needle, want, at = 0) => {
    if (!fs.existsSync(file)) { bad(`textmate: ${file} is missing`); return; }
    const toks = tokenizeText(g, fs.readFileSync(file, 'utf8'));
    const tok = toks.find((t) => t.line.includes(needle));
    if (!tok) { bad(`textmate: ${file}: no line contains ${JSON.stringify(needle)}`); return; }
    const scopes = scopesAt(tok, needle, at);
    if (scopes && scopes.some((s) => s === want || s.startsWith(want.replace(/\.aip$/, '') + '.')))
      ok(`textmate: ${file}: ${JSON.stringify(needle)} is ${want}`);
    else bad(`textmate: ${file}: ${JSON.stringify(needle)} should be ${want}`, `scopes: ${scopes && scopes.join(' ')}`);
  };
  const C = 'tests/golden/constructs/policy/main.aip';
  fileCheck(C, 'control PR.AA-01', 'keyword.other.declaration.aip');
  fileCheck(C, 'PR.AA-01 {', 'constant.other.control-id.aip');
  fileCheck(C, '# A policy', 'comment.line.number-sign.aip');
  fileCheck(C, '30d', 'constant.numeric.duration.aip');
  fileCheck(C, '{sys.id}: credential', 'meta.embedded.expression.aip', 1);
  fileCheck(C, '\\\\d{{4}}', 'constant.character.escape.brace.aip', 3);
  fileCheck('policies/ir8596/protect_test.aip', 'expect PR.AA-01 fail', 'constant.language.verdict.aip', 16);
}

main().catch((e) => bad('textmate: unexpected error', e.stack || e.message)).finally(() => {
  console.log(`textmate: ${pass} checks passed, ${fail} failed`);
  process.exitCode = Math.min(fail, 100);
});
