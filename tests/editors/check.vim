" tests/editors/check.vim - the Vim syntax file (lang/editors/aip.vim) on
" every .aip file given as an argument, and on a sample of lines. Run from the
" repository root by tests/editors/run.sh:
"   vim -Es -u NONE -i NONE -N -c 'syntax on' -c 'let g:aip_out = "OUT"' \
"       -c 'source tests/editors/check.vim' FILE...
" Writes one "ok   ..." / "FAIL ..." line per check to g:aip_out, then quits.
" A check fails on any error message (sourcing the syntax file, or computing
" the highlighting of any line), on a string or {expr} that leaks into the
" next line, and on a position whose syntax group is not the expected one.

let s:syn = fnamemodify('lang/editors/aip.vim', ':p')
let s:out = []

function! s:Ok(msg) abort
  call add(s:out, 'ok   vim: ' . a:msg)
endfunction
function! s:Bad(msg, ...) abort
  call add(s:out, 'FAIL vim: ' . a:msg)
  for l:d in a:000
    call add(s:out, '     ' . l:d)
  endfor
endfunction

" Load the syntax file into the current buffer; '' or the error.
function! s:Load() abort
  syntax clear
  unlet! b:current_syntax
  let v:errmsg = ''
  try
    execute 'source' fnameescape(s:syn)
  catch
    return v:exception
  endtry
  if v:errmsg !=# ''
    return v:errmsg
  endif
  if get(b:, 'current_syntax', '') !=# 'aip'
    return 'b:current_syntax is not "aip"'
  endif
  return ''
endfunction

" The names of the syntax items at line l, column c (1-based), outermost first.
" The group a highlight group links to (one step: Keyword, not Statement).
function! s:LinkOf(name) abort
  let l:hi = execute('highlight ' . a:name)
  let l:m = matchlist(l:hi, 'links to \(\w\+\)')
  return empty(l:m) ? '' : l:m[1]
endfunction

function! s:Stack(l, c) abort
  return map(synstack(a:l, a:c), 'synIDattr(v:val, "name")')
endfunction

" ---- every file ------------------------------------------------------------------
let s:nlines = 0
for s:f in argv()
  execute 'silent edit!' fnameescape(s:f)
  let s:err = s:Load()
  if s:err !=# ''
    call s:Bad(s:f . ': the syntax file does not load', s:err)
    continue
  endif
  let s:problems = []
  let v:errmsg = ''
  try
    for s:l in range(1, line('$'))
      let s:text = getline(s:l)
      let s:c = match(s:text, '\S') + 1
      if s:c == 0
        continue
      endif
      " Computes the highlighting of every line up to here, in order.
      let s:st = s:Stack(s:l, s:c)
      if s:text[s:c - 1] !=# '"' && (index(s:st, 'aipString') >= 0 || index(s:st, 'aipInterp') >= 0)
        call add(s:problems, s:f . ':' . s:l . ': starts inside ' . join(s:st, ' '))
      endif
      " and the item at the end of the line
      call synID(s:l, len(s:text), 1)
      let s:nlines += 1
    endfor
  catch
    call add(s:problems, s:f . ': ' . v:exception)
  endtry
  if v:errmsg !=# ''
    call add(s:problems, s:f . ': ' . v:errmsg)
  endif
  if empty(s:problems)
    call s:Ok(s:f . ': ' . line('$') . ' lines')
  else
    call call('s:Bad', [s:f] + s:problems[:19])
  endif
endfor
if argc() == 0
  call s:Bad('no .aip files given')
else
  call s:Ok(argc() . ' files, ' . s:nlines . ' lines highlighted')
endif

" ---- a sample of lines -------------------------------------------------------------
" [what, line, needle, offset into the needle, expected group, expected highlight]
let s:cases = [
  \ ['comment', '# a comment', '#', 0, 'aipComment', 'Comment'],
  \ ['comment after code', 'param x = 1  # trailing', 'trailing', 0, 'aipComment', 'Comment'],
  \ ['reserved word', 'control PR.AA-01 {', 'control', 0, 'aipDeclaration', 'Keyword'],
  \ ['control id', 'control PR.AA-01 {', 'PR.AA-01', 3, 'aipControlId', 'Constant'],
  \ ['not a control id', 'require PR.AA-0123', 'PR.AA-0123', 0, '', ''],
  \ ['package name', 'package ir8596.protect', 'protect', 0, 'aipPackageName', 'Identifier'],
  \ ['import', 'import "lib/util.aip" as util', 'import', 0, 'aipInclude', 'Include'],
  \ ['import as', 'import "lib/util.aip" as util', ' as', 1, 'aipContextual', 'Keyword'],
  \ ['uses manifest', 'uses manifest ai-inventory/v1alpha1', 'manifest', 0, 'aipUsesManifest', 'Keyword'],
  \ ['manifest format', 'uses manifest ai-inventory/v1alpha1', 'v1alpha1', 0, 'aipManifestFormat', 'Special'],
  \ ['param name', 'param max_rotation_days = 90', 'max_rotation_days', 0, 'aipParamName', 'Identifier'],
  \ ['def name', 'def is_prod(s) = s.lifecycle == "production"', 'is_prod', 0, 'aipDefName', 'Function'],
  \ ['profile name', 'profile sme-baseline "SME" { PR.AA-01 }', 'baseline', 0, 'aipProfileName', 'Identifier'],
  \ ['string', 'require ok else "{sys.id} is shared"', 'is shared', 0, 'aipString', 'String'],
  \ ['interpolation brace', 'require ok else "{sys.id} is shared"', '{', 0, 'aipInterpDelim', 'Special'],
  \ ['interpolation', 'require ok else "{sys.id} is shared"', 'sys', 0, 'aipInterp', ''],
  \ ['keyword in interpolation', '"{count(t in xs where t.ok)} tools"', 'count', 0, 'aipQuantifier', 'Repeat'],
  \ ['after a map in interpolation', '"{values({b: 2, a: 1})} ok"', ' ok', 1, 'aipString', 'String'],
  \ ['after a string in interpolation', '"{x ?? "none"} left"', ' left', 1, 'aipString', 'String'],
  \ ['literal {{', '"^\\d{{4}}$"', '{{', 0, 'aipBraceEscape', 'SpecialChar'],
  \ ['escape', '"a\"b"', '\"', 0, 'aipEscape', 'SpecialChar'],
  \ ['unicode escape', '"\u{1F600}"', '\u', 0, 'aipEscape', 'SpecialChar'],
  \ ['bad escape', '"\q"', '\q', 0, 'aipBadEscape', 'Error'],
  \ ['lone }', '"a } b"', '}', 0, 'aipLoneBrace', 'Error'],
  \ ['integer', 'param x = 90', '90', 0, 'aipNumber', 'Number'],
  \ ['double', 'param x = 1.5e-3', '1.5e-3', 4, 'aipFloat', 'Float'],
  \ ['duration 90d', 'attest within 90d', '90d', 0, 'aipDuration', 'Number'],
  \ ['duration 2w', 'attest within 2w', '2w', 0, 'aipDuration', 'Number'],
  \ ['duration 12h', 'attest within 12h', '12h', 0, 'aipDuration', 'Number'],
  \ ['duration 30m', 'attest within 30m', '30m', 0, 'aipDuration', 'Number'],
  \ ['bad duration', 'attest within 90dx', '90dx', 0, 'aipBadNumber', 'Error'],
  \ ['attest', 'attest within 365d', 'attest', 0, 'aipStatement', 'Statement'],
  \ ['within', 'attest within 365d', 'within', 0, 'aipWithin', 'Keyword'],
  \ ['title', '  title    "Credentials are managed"', 'title', 0, 'aipMetadata', 'Type'],
  \ ['focus', '  focus    secure, defend', 'focus', 0, 'aipMetadata', 'Type'],
  \ ['focus area', '  focus    secure, defend', 'defend', 0, 'aipFocusValue', 'Constant'],
  \ ['enforce', '  enforce  advisory', 'advisory', 0, 'aipFocusValue', 'Constant'],
  \ ['maps', '  maps     sp800_53 "IA-5"', 'maps', 0, 'aipMetadata', 'Type'],
  \ ['title as a field', 'require x.title == "a"', 'title', 0, 'aipField', ''],
  \ ['count as a field', 'require x.count > 1', 'count', 0, 'aipField', ''],
  \ ['for', 'for sys in inventory.ai_systems where is_prod(sys) {', 'for', 0, 'aipRepeat', 'Repeat'],
  \ ['where', 'for sys in inventory.ai_systems where is_prod(sys) {', 'where', 0, 'aipStatement', 'Statement'],
  \ ['inventory', 'for sys in inventory.ai_systems where is_prod(sys) {', 'inventory', 0, 'aipInventory', 'Identifier'],
  \ ['call', 'for sys in inventory.ai_systems where is_prod(sys) {', 'is_prod', 0, 'aipCall', 'Function'],
  \ ['imported call', 'require ai.within_days(d, 3)', 'within_days', 0, 'aipMemberCall', 'Function'],
  \ ['builtin', 'require days_since(x) < 3', 'days_since', 0, 'aipBuiltin', 'Function'],
  \ ['builtin now', 'require now() > 3', 'now', 0, 'aipBuiltin', 'Function'],
  \ ['logical', 'require a and not b', 'not', 0, 'aipOperatorWord', 'Operator'],
  \ ['boolean', 'require x == true', 'true', 0, 'aipBoolean', 'Boolean'],
  \ ['operator ??', 'let r = x ?? 0', '??', 0, 'aipOperator', 'Operator'],
  \ ['operator &&', 'require a && b', '&&', 0, 'aipBadOperator', 'Error'],
  \ ['test now', '  now "2026-11-27"', 'now', 0, 'aipTestItem', 'Type'],
  \ ['test given', '  given "f.yaml"', 'given', 0, 'aipTestItem', 'Type'],
  \ ['expect', '  expect PR.AA-01 fail findings 2', 'expect', 0, 'aipTestItem', 'Type'],
  \ ['verdict', '  expect PR.AA-01 not_applicable', 'not_applicable', 0, 'aipVerdict', 'Constant'],
  \ ['expect id', '  expect PR.AA-01 fail findings 2', 'PR.AA-01', 0, 'aipExpectId', 'aipControlId'],
  \ ['findings', '  expect PR.AA-01 fail findings 2', 'findings', 0, 'aipFindings', 'Type'],
  \ ['param keyword', 'param max_rotation_days = 90', 'param', 0, 'aipDeclaration', 'Keyword'],
  \ ['import name', 'import stdlib.ai', 'ai', 0, 'aipPackageName', 'Identifier'],
  \ ]
enew!
call setline(1, map(copy(s:cases), 'v:val[1]'))
let s:err = s:Load()
if s:err !=# ''
  call s:Bad('the syntax file does not load in a new buffer', s:err)
else
  call s:Ok('the syntax file loads, b:current_syntax is "aip"')
  let s:i = 0
  for [s:what, s:line, s:needle, s:at, s:want, s:hl] in s:cases
    let s:i += 1
    let s:c = stridx(s:line, s:needle) + 1 + s:at
    let s:id = synID(s:i, s:c, 1)
    let s:name = synIDattr(s:id, 'name')
    let s:trans = s:name ==# '' ? '' : s:LinkOf(s:name)
    let s:desc = s:what . ': ' . string(s:needle) . ' in ' . string(s:line)
    if s:name ==# s:want && (s:hl ==# '' || s:trans ==# s:hl)
      call s:Ok(s:desc . ' is ' . (s:want ==# '' ? 'plain' : s:want) . (s:hl ==# '' ? '' : ' (' . s:hl . ')'))
    else
      call s:Bad(s:desc . ' should be ' . (s:want ==# '' ? 'plain' : s:want) . (s:hl ==# '' ? '' : ' (' . s:hl . ')'),
            \ 'got ' . (s:name ==# '' ? 'plain' : s:name) . ' (' . s:trans . '), stack ' . join(s:Stack(s:i, s:c), ' '))
    endif
  endfor
endif

" An unterminated string ends at the end of its line.
enew!
call setline(1, ['require "unterminated {inventory.x" == "a"', 'control PR.AA-02 {'])
call s:Load()
if synIDattr(synID(2, 1, 1), 'name') ==# 'aipDeclaration'
  call s:Ok('an unterminated string ends at the end of its line')
else
  call s:Bad('an unterminated string leaks into the next line', join(s:Stack(2, 1), ' '))
endif

" ftdetect: *.aip is filetype aip.
enew!
filetype on
let v:errmsg = ''
execute 'source' fnameescape(fnamemodify('lang/editors/ftdetect-aip.vim', ':p'))
execute 'silent edit!' fnameescape(fnamemodify('tests/golden/constructs/policy/main.aip', ':p'))
if &filetype ==# 'aip' && v:errmsg ==# ''
  call s:Ok('ftdetect-aip.vim: a .aip file gets filetype aip')
else
  call s:Bad('ftdetect-aip.vim: a .aip file gets filetype ' . string(&filetype), v:errmsg)
endif

call writefile(s:out, g:aip_out)
qa!
