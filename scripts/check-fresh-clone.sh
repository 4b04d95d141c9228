#!/usr/bin/env bash
# The repository builds from a clone alone: clone the committed HEAD into an empty temporary
# folder (nothing beside it, so nothing outside the clone can be read), install from the
# lock file, build everything, and run every generator's --check there. Exits non-zero,
# with the step that failed, otherwise.
#
#   bash scripts/check-fresh-clone.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh

empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
log=$empty.log
step() { # what command...
  local what=$1
  shift
  if ! "$@" >>"$log" 2>&1; then
    echo "fresh clone: $what failed:"
    tail -n 30 "$log"
    rm -f "$log"
    exit 1
  fi
}

step "git clone" git clone -q "$(pwd)" "$empty/repo"
cd "$empty/repo"
[ -z "$(ls -A "$empty" | grep -v '^repo$')" ] || { echo "fresh clone: the folder is not empty"; exit 1; }
step "npm ci" npm ci --prefer-offline --no-audit --no-fund
step "the build (scripts/lib/prepare.sh)" bash -c 'source scripts/lib/prepare.sh && prepare'
step "gen-godot-enums --check" "$NODE" scripts/gen-godot-enums.mjs --check
step "gen-api-dump --check" "$NODE" bridge/gdextension/gen-api-dump.mjs --check
step "protocol generate --check" "$NODE" bridge/protocol/generate.mjs --check
step "the addon assembly" bash scripts/assemble-addon.sh --quiet
rm -f "$log"
echo "fresh clone of $(git rev-parse --short HEAD): installed, built, assembled; every generator matches its committed output"
