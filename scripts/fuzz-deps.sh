#!/bin/sh
# scripts/fuzz-deps.sh - what `make fuzz` needs: clang and its libFuzzer
# runtime (Debian: clang, libclang-rt-14-dev). Installs what is missing when
# run as root (or through sudo); otherwise prints the command.
set -eu
missing=""
command -v clang >/dev/null 2>&1 || missing="$missing clang"
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
    missing="$missing libclang-rt-14-dev"
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
    echo "aip: installing fuzzing tools:$missing"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd -qq) >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $cmd -qq) >&2
else
    echo "aip: missing fuzzing tools:$missing" >&2
    echo "aip: run: sudo apt-get update && sudo $cmd" >&2
    exit 1
fi
