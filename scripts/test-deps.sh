#!/bin/sh
# scripts/test-deps.sh - tools the tests need, beyond the build
# dependencies: xmllint (JUnit schemas), Chromium (the HTML report in a real
# browser), cppcheck and valgrind (make lint, make valgrind) and ajv-cli from
# the npm registry (SARIF and OSCAL schemas,
# installed into .tools/ of the repository, never globally). Installs what is
# missing when run as root (or through sudo); otherwise prints the command.
set -eu
missing=""
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
command -v cppcheck >/dev/null 2>&1 || missing="$missing cppcheck"
command -v clang-tidy >/dev/null 2>&1 || missing="$missing clang-tidy"
command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
if [ -n "$missing" ]; then
    cmd="apt-get install -y --no-install-recommends$missing"
    if [ "$(id -u)" = 0 ]; then
        echo "aip: installing test tools:$missing"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd -qq) >&2
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "aip: installing test tools with sudo:$missing"
        (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $cmd -qq) >&2
    else
        echo "aip: missing test tools:$missing" >&2
        echo "aip: run: sudo apt-get update && sudo $cmd" >&2
        exit 1
    fi
fi
if [ ! -x .tools/node_modules/.bin/ajv ]; then
    echo "aip: installing ajv-cli into .tools/"
    npm install --silent --no-audit --no-fund --prefix .tools ajv-cli@5.0.0 ajv-formats@3.0.1 >&2
fi
