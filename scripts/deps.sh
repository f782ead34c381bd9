#!/bin/sh
# scripts/deps.sh - make sure the Debian build dependencies are installed.
# Installs what is missing with apt-get when run as root (or through sudo);
# otherwise prints the exact command and fails.
set -eu
PKGS="gcc make flex bison libcmocka-dev libyaml-dev libpcre2-dev libssl-dev pkg-config"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
    echo "aip: installing build dependencies:$missing"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd -qq) >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "aip: installing build dependencies with sudo:$missing"
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $cmd -qq) >&2
else
    echo "aip: missing build dependencies:$missing" >&2
    echo "aip: run: sudo apt-get update && sudo $cmd" >&2
    exit 1
fi
