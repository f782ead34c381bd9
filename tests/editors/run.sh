#!/bin/sh
# tests/editors/run.sh [AIP] - the editor support in lang/editors/ on every
# shipped .aip file (policies/, examples/, stdlib/, tests/, bench/):
#   TextMate  lang/editors/aip.tmLanguage.json under the engine VS Code uses,
#             vscode-textmate 9 with vscode-oniguruma 2 (npm, in .tools/;
#             installed here when missing): tests/editors/tokenize.mjs.
#   Vim       lang/editors/aip.vim (and ftdetect-aip.vim) in a headless Vim
#             (Debian's vim; installed with apt-get when missing and root):
#             tests/editors/check.vim.
# Both fail on a grammar that does not load, any error while highlighting,
# a string or {expr} that runs into the next line, and a sample position with
# the wrong scope or syntax group. The argument (the aip binary, as for the
# other suites) is not used.
#
# Run from the repository root (make test does): sh tests/editors/run.sh
# Prints one line per check and ends with "editors: N passed, N failed".
set -u
ROOT=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/     /' | head -20; fail=$((fail + 1)); }
finish() {
    echo "editors: $pass passed, $fail failed"
    [ "$fail" = 0 ]
    exit $?
}
# Count the "ok   " / "FAIL " lines of a checker's output, and show them.
tally() {
    cat "$1"
    p=$(grep -c '^ok   ' "$1")
    f=$(grep -c '^FAIL ' "$1")
    pass=$((pass + p))
    fail=$((fail + f))
}

if [ ! -f lang/editors/aip.tmLanguage.json ]; then
    bad "run from the repository root (lang/editors/aip.tmLanguage.json not found in $ROOT)"
    finish
fi

# The shipped .aip files: every one in the repository (git's list when there
# is one, else a walk that skips build output and tools).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -- '*.aip' >"$T/files"
else
    find . -name '*.aip' -not -path './.tools/*' -not -path './build/*' -not -path './.git/*' |
        sed 's|^\./||' | sort >"$T/files"
fi
n=$(wc -l <"$T/files" | tr -d ' ')
if [ "$n" -gt 0 ]; then ok "files: $n shipped .aip files"; else bad "files: no .aip file found"; finish; fi

# ---- TextMate (vscode-textmate + vscode-oniguruma) ------------------------------
if ! command -v node >/dev/null 2>&1; then
    bad "textmate: node not found" "install it: apt-get install -y nodejs npm"
else
    if [ ! -f .tools/node_modules/vscode-textmate/package.json ] ||
       [ ! -f .tools/node_modules/vscode-oniguruma/release/onig.wasm ]; then
        echo "editors: installing vscode-textmate and vscode-oniguruma into .tools/"
        npm install --silent --no-audit --no-fund --prefix .tools vscode-textmate@9 vscode-oniguruma@2 >"$T/npm.log" 2>&1 ||
            bad "textmate: npm install --prefix .tools vscode-textmate@9 vscode-oniguruma@2 failed" "$(tail -5 "$T/npm.log")"
    fi
    if [ -f .tools/node_modules/vscode-textmate/package.json ] &&
       [ -f .tools/node_modules/vscode-oniguruma/release/onig.wasm ]; then
        tm=$(node -p 'require("./.tools/node_modules/vscode-textmate/package.json").version')
        og=$(node -p 'require("./.tools/node_modules/vscode-oniguruma/package.json").version')
        ok "textmate: node $(node --version), vscode-textmate $tm, vscode-oniguruma $og"
        # shellcheck disable=SC2046
        node tests/editors/tokenize.mjs $(cat "$T/files") >"$T/tm.out" 2>&1
        rc=$?
        tally "$T/tm.out"
        if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$T/tm.out"; then
            bad "textmate: tokenize.mjs exited with status $rc"
        fi
    else
        bad "textmate: vscode-textmate or vscode-oniguruma missing from .tools/" \
            "install them: npm install --prefix .tools vscode-textmate@9 vscode-oniguruma@2"
    fi
fi

# ---- Vim ---------------------------------------------------------------------------
# vim-tiny has no syntax highlighting: it must be a full Vim (+syntax, +eval).
has_vim() {
    command -v vim >/dev/null 2>&1 &&
        vim -Es -u NONE -i NONE -N -c 'if !has("syntax") || !has("eval") | cquit | endif' -c 'qa!' </dev/null >/dev/null 2>&1
}
if ! has_vim; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "editors: installing vim with apt-get"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends vim) >"$T/apt.log" 2>&1 ||
            bad "vim: apt-get install vim failed" "$(tail -5 "$T/apt.log")"
    fi
fi
if has_vim; then
    ok "vim: $(vim --version | head -1)"
    : >"$T/vim.out"
    to=""; command -v timeout >/dev/null 2>&1 && to="timeout 300"
    # shellcheck disable=SC2046
    $to vim -Es -u NONE -i NONE -N -c 'syntax on' -c "let g:aip_out = '$T/vim.out'" \
        -c 'source tests/editors/check.vim' $(cat "$T/files") </dev/null >"$T/vim.log" 2>&1
    rc=$?
    tally "$T/vim.out"
    if ! grep -q 'files, .* lines highlighted' "$T/vim.out"; then
        bad "vim: tests/editors/check.vim did not finish (exit status $rc)" "$(tail -20 "$T/vim.log")"
    elif [ $rc -ne 0 ]; then
        bad "vim: exit status $rc (an error message)" "$(tail -20 "$T/vim.log")"
    fi
else
    bad "vim: a full vim (not vim-tiny) is needed" "install it: apt-get install -y vim"
fi

finish
