" Vim syntax file
" Language:     aip policy language (.aip)
" Reference:    lang/SPEC.md, lang/lexer.l of the aip repository
" Install:      copy to ~/.vim/syntax/aip.vim, and ftdetect-aip.vim to
"               ~/.vim/ftdetect/aip.vim (see docs/editors.md)
"
" Strings are one line; {expr} inside a string is an expression, {{ and }}
" are literal braces. Reserved words are keywords except after '.' (x.count);
" contextual words (title, focus, ..., now, given, expect) are keywords only
" where the grammar expects them: at the start of a control or test item.

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn iskeyword @,48-57,_

" ---- comments ---------------------------------------------------------------
syn keyword aipTodo        contained TODO FIXME XXX NOTE
syn match   aipComment     "#.*$" contains=aipTodo,@Spell

" ---- reserved words -----------------------------------------------------------
" A declaration keyword is followed by the name it declares (nextgroup).
syn keyword aipInclude     package import nextgroup=aipPackageName skipwhite
syn keyword aipInclude     uses nextgroup=aipUsesManifest skipwhite
syn keyword aipDeclaration param nextgroup=aipParamName skipwhite
syn keyword aipDeclaration def nextgroup=aipDefName skipwhite
syn keyword aipDeclaration profile nextgroup=aipProfileName skipwhite
syn keyword aipDeclaration control test rule
syn keyword aipStatement   attest nextgroup=aipWithin skipwhite
syn keyword aipStatement   let require else where
syn keyword aipRepeat      for
syn keyword aipQuantifier  all any none count
syn keyword aipOperatorWord in not and or
syn keyword aipBoolean     true false
syn keyword aipNull        null
syn keyword aipInventory   inventory

" ---- names after '.' are plain names (x.count, x.title); alias.f( is a call ----
syn match   aipField       "\.\h\w*\>\%(\s*(\)\@!"
syn match   aipCall        "\<\h\w*\ze\s*("
syn match   aipMemberCall  "\.\@1<=\h\w*\ze\s*("
syn match   aipBuiltin     "\.\@1<!\<\%(len\|lower\|upper\|starts_with\|ends_with\|contains\|matches\|days_since\|date\|now\|semver_cmp\|keys\|values\|type\|exists\)\ze\s*("

" ---- declarations -------------------------------------------------------------
syn match   aipPackageName contained "\h\w*\%(\.\h\w*\)*"
syn match   aipParamName   contained "\h\w*"
syn match   aipDefName     contained "\h\w*"
syn match   aipProfileName contained "\h[-[:alnum:]_]*"
syn match   aipUsesManifest contained "manifest\>" nextgroup=aipManifestFormat skipwhite
syn match   aipManifestFormat contained "\%(\%(package\|uses\|import\|param\|def\|control\|profile\|test\|rule\)\>\)\@![[:alnum:]_][-[:alnum:]_./]*"
syn match   aipWithin      contained "within\>"
" `as` after an import (the lookahead first: the lookbehind is slow)
syn match   aipContextual  "\<\%(as\>\)\@=\%(\<import\s.*\)\@200<=as\>"

" ---- control metadata (at the start of an item) -----------------------------------
syn match   aipMetadata    "^\s*\zs\%(title\|evidence\|maps\|help\)\>\%(\s*[(.=:[]\)\@!"
syn region  aipMetaLine    matchgroup=aipMetadata start="^\s*\zs\%(focus\|priority\|enforce\)\>\%(\s*[(.=:[]\)\@!" end="$" oneline keepend contains=aipFocusValue,aipNumber,aipComment
syn keyword aipFocusValue  contained secure defend thwart mandatory advisory

" ---- policy tests -----------------------------------------------------------------
syn match   aipTestItem    "^\s*\zs\%(now\|given\|params\)\>\%(\s*[(.=:[]\)\@!"
syn match   aipTestItem    "^\s*\zsexpect\>\%(\s*[(.=:[]\)\@!" nextgroup=aipExpectId skipwhite
syn match   aipExpectId    contained "\<\u\u\.\u\u-\d\{1,3}\>" nextgroup=aipVerdict skipwhite
syn match   aipVerdict     contained "\<\%(pass\|fail\|unknown\|not_applicable\|waived\|error\)\>" nextgroup=aipFindings skipwhite
syn match   aipFindings    contained "findings\>"

" ---- numbers, durations, control ids --------------------------------------------
" (the last defined wins at one position: a bad number first, then the valid forms)
syn match   aipBadNumber   "\<\d\+\%(\.\d\+\)\=\h\w*"
syn match   aipNumber      "\<\d\+\>"
syn match   aipFloat       "\<\d\+\.\d\+\%([eE][+-]\=\d\+\)\=\>"
syn match   aipFloat       "\<\d\+[eE][+-]\=\d\+\>"
syn match   aipDuration    "\<\d\+[dwhm]\>"
syn match   aipControlId   "\<\u\u\.\u\u-\d\{1,3}\>"

" ---- operators ------------------------------------------------------------------
syn match   aipOperator    "==\|!=\|<=\|>=\|[<>+*/=-]\|??"
syn match   aipBadOperator "&&\|||\|!=\@!"
syn match   aipDelimiter   "[][(){},:]"

" ---- strings ----------------------------------------------------------------------
" Strings, {expr} and braces inside {expr} are `oneline`: each must close on its
" line. A string that does not (the compiler reports "unterminated string") is
" aipUnterminated, to the end of the line. The lone '}' and the {expr} region
" come before '{{' '}}' so that those win.
syn match   aipUnterminated +"\%([^"\\]\|\\.\)*$+
syn region  aipString      start=+"+ end=+"+ oneline contains=aipBadEscape,aipEscape,aipLoneBrace,aipInterp,aipBraceEscape,@Spell
syn match   aipBadEscape   contained +\\.\=+
syn match   aipEscape      contained +\\\%(["\\/nrt]\|u{\x\{1,6}}\)+
syn match   aipLoneBrace   contained "}"
syn region  aipInterp      contained oneline matchgroup=aipInterpDelim start="{" end="}" contains=@aipExpr,aipInterpBraces
syn region  aipInterpBraces contained transparent oneline start="{" end="}" contains=@aipExpr,aipInterpBraces
syn match   aipBraceEscape contained "{{\|}}"

syn cluster aipExpr contains=aipString,aipControlId,aipField,aipCall,aipMemberCall,aipBuiltin,
      \ aipInclude,aipDeclaration,aipStatement,aipRepeat,aipQuantifier,aipOperatorWord,
      \ aipBoolean,aipNull,aipInventory,aipBadNumber,aipNumber,aipFloat,aipDuration,
      \ aipOperator,aipBadOperator

syn sync minlines=20

" ---- highlighting -------------------------------------------------------------------
hi def link aipTodo           Todo
hi def link aipComment        Comment
hi def link aipInclude        Include
hi def link aipDeclaration    Keyword
hi def link aipStatement      Statement
hi def link aipRepeat         Repeat
hi def link aipQuantifier     Repeat
hi def link aipOperatorWord   Operator
hi def link aipBoolean        Boolean
hi def link aipNull           Constant
hi def link aipInventory      Identifier
hi def link aipCall           Function
hi def link aipMemberCall     Function
hi def link aipBuiltin        Function
hi def link aipPackageName    Identifier
hi def link aipParamName      Identifier
hi def link aipDefName        Function
hi def link aipProfileName    Identifier
hi def link aipContextual     Keyword
hi def link aipUsesManifest   Keyword
hi def link aipWithin         Keyword
hi def link aipExpectId       aipControlId
hi def link aipFindings       Type
hi def link aipManifestFormat Special
hi def link aipMetadata       Type
hi def link aipFocusValue     Constant
hi def link aipTestItem       Type
hi def link aipVerdict        Constant
hi def link aipBadNumber      Error
hi def link aipNumber         Number
hi def link aipFloat          Float
hi def link aipDuration       Number
hi def link aipControlId      Constant
hi def link aipOperator       Operator
hi def link aipBadOperator    Error
hi def link aipDelimiter      Delimiter
hi def link aipString         String
hi def link aipUnterminated   String
hi def link aipBadEscape      Error
hi def link aipEscape         SpecialChar
hi def link aipLoneBrace      Error
hi def link aipInterpDelim    Special
hi def link aipBraceEscape    SpecialChar

let b:current_syntax = "aip"

let &cpo = s:cpo_save
unlet s:cpo_save
