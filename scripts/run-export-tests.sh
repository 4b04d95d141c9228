#!/usr/bin/env bash
# Shipping, tried as a user would: each test starts from the addon as a user gets it and
# ends in a game that runs with no project beside it and no node on PATH.
#   godot3 export    tests/export/godot3 (a small game) with the addon copied in, exported
#                    by godot3-server --export using the headless engine itself as the
#                    template; the exported folder is moved to a new place and run: two
#                    peers connect and exchange data both ways, the game exits 0, and the
#                    worker's files were carried beside the executable.
#   release zip      scripts/package.sh's zip unpacked (without file modes, as Godot's own
#                    asset installer does) into a new Godot 3 project, which runs the game.
#   godot4 export    the same game in the Godot 4 dialect, exported and moved (the editor
#                    binary serves as the template); only where GODOT4 names a binary.
#   godot4 web       --export-pack "Web" of that project with the addon's plugin enabled:
#                    the pack holds no addon file and no extension list naming it, and the
#                    project's own extension list is as it was.
# Ends with "N passed, N failed" (", N skipped" when GODOT4 is not set).
#
#   bash scripts/run-export-tests.sh
# Environment: GODOT3 (default: godot3-server, installed when missing), GODOT4.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/lib/node.sh
source scripts/lib/path-without-node.sh

logs=$root/build/export-tests
rm -rf "$logs"
mkdir -p "$logs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source scripts/lib/tally.sh
finish() { tally_report; exit; }

unset GODOT_WEBRTC_NODE GODOT_WEBRTC_WORKER GODOT_WEBRTC_SHM_ADDON
no_node=$(path_without_node) || { fail "a PATH without node" "could not make one"; finish; }
locale=(LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8)
addon=godot-project/addons/webrtc_ts
runtime_files=(worker.mjs shm.node node_datachannel.node node)

bash scripts/assemble-addon.sh --quiet || { fail "assemble the addon" "assemble-addon.sh failed"; finish; }

# A fresh copy of a test game with the addon as a user has it (no links into this tree).
make_game() { # dialect dest
  mkdir -p "$2/addons"
  cp -r "tests/export/$1/." "$2/"
  cp -rL "$addon" "$2/addons/"
}

# Run an exported or unpacked game: no node on PATH, nothing of this tree on hand.
run_game() { # name log command...
  local name=$1 log=$2
  shift 2
  (cd / && env "${locale[@]}" PATH="$no_node" timeout -k 5 60 "$@") >"$log" 2>&1
  local rc=$?
  if [ "$rc" -ne 0 ]; then fail "$name" "exit code $rc" "$log"; return 1; fi
  if ! grep -q '^EXPORT-GAME PASS' "$log"; then fail "$name" "no EXPORT-GAME PASS line" "$log"; return 1; fi
  if pgrep -f -- "$work/.*worker.mjs" >/dev/null; then fail "$name" "a worker outlived the game"; return 1; fi
  return 0
}

# The worker's files must have been carried beside the executable.
carried() { # name folder
  local file missing=()
  for file in "${runtime_files[@]}" "$3"; do [ -f "$2/$file" ] || missing+=("$file"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  fail "$1" "the export lacks ${missing[*]} beside the executable: $(ls "$2" | tr '\n' ' ')"
  return 1
}

# ---- Godot 3 ----
godot3=${GODOT3:-}
if [ -z "$godot3" ]; then
  godot3=$(bash scripts/godot3.sh) || { fail "godot3-server" "no Godot 3 available"; finish; }
fi

name="godot3 export: exported game moved elsewhere connects and exchanges data with no node on PATH"
game=$work/godot3/project
make_game godot3 "$game"
sed "s#@TEMPLATE@#$godot3#" tests/export/godot3/export_presets.cfg.in >"$game/export_presets.cfg"
rm "$game/export_presets.cfg.in"
mkdir -p "$work/godot3/out"
if ! env "${locale[@]}" timeout -k 5 300 "$godot3" --path "$game" --export "Linux/X11" "$work/godot3/out/game.x86_64" \
  >"$logs/godot3-export.log" 2>&1 || [ ! -f "$work/godot3/out/game.pck" ]; then
  fail "$name" "the export failed" "$logs/godot3-export.log"
elif carried "$name" "$work/godot3/out" libwebrtc_ts.so; then
  moved=$work/moved-godot3
  mv "$work/godot3/out" "$moved" && rm -rf "$work/godot3"
  run_game "$name" "$logs/godot3-game.log" "$moved/game.x86_64" && pass "$name"
fi

name="release zip: unpacked into a new Godot 3 project, the game runs with no node on PATH"
if bash scripts/package.sh >"$logs/package.log" 2>&1; then
  zip=$(grep -Eo '^dist/[^:]+\.zip' "$logs/package.log" | tail -n 1)
  fresh=$work/zip-project
  mkdir -p "$fresh"
  cp -r tests/export/godot3/. "$fresh/" && rm "$fresh/export_presets.cfg.in"
  # Python's extractor, like Godot's installer, drops file modes: the runtime loses its x bit.
  python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$zip" "$fresh"
  listed=$(python3 -c "import sys, zipfile; print('\n'.join(sorted({n.split('/')[0] for n in zipfile.ZipFile(sys.argv[1]).namelist()})))" "$zip")
  if [ "$listed" != addons ]; then
    fail "$name" "the zip holds more than addons/: $listed"
  elif [ ! -f "$fresh/addons/webrtc_ts/LICENSES/node.LICENSE" ] || [ ! -f "$fresh/addons/webrtc_ts/README.md" ]; then
    fail "$name" "the zip lacks the folder's README or the runtime's licence"
  else
    run_game "$name" "$logs/zip-game.log" "$godot3" --no-window --path "$fresh" && pass "$name ($(cut -d: -f2 "$logs/package.log" | tail -n 1 | sed 's/^ //'))"
  fi
else
  fail "$name" "scripts/package.sh failed" "$logs/package.log"
fi

# ---- Godot 4 (where GODOT4 names a binary) ----
if [ -z "${GODOT4:-}" ]; then
  skip "godot4 export" "GODOT4 is not set"
  skip "godot4 web export leaves the addon out" "GODOT4 is not set"
  finish
fi
godot4=$GODOT4
g4_game=$work/godot4/project
make_game godot4 "$g4_game"
# Any existing file serves as the web template: --export-pack writes the pack only.
sed -e "s#@TEMPLATE@#$godot4#" -e "s#@WEB_TEMPLATE@#$godot4#" tests/export/godot4/export_presets.cfg.in \
  >"$g4_game/export_presets.cfg"
rm "$g4_game/export_presets.cfg.in"
mkdir -p "$g4_game/.godot"
echo "res://addons/webrtc_ts/webrtc_ts.gdextension" >"$g4_game/.godot/extension_list.cfg"
# One editor run imports the project first, so the exports see a scanned project.
env "${locale[@]}" timeout -k 5 300 "$godot4" --headless --path "$g4_game" --import >"$logs/godot4-import.log" 2>&1

name="godot4 export: exported game moved elsewhere connects and exchanges data with no node on PATH"
mkdir -p "$work/godot4/out"
if ! env "${locale[@]}" timeout -k 5 300 "$godot4" --headless --path "$g4_game" --export-release "Linux" \
  "$work/godot4/out/game.x86_64" >"$logs/godot4-export.log" 2>&1 || [ ! -f "$work/godot4/out/game.pck" ]; then
  fail "$name" "the export failed" "$logs/godot4-export.log"
elif carried "$name" "$work/godot4/out" libwebrtc_ts_gdextension.linux.x86_64.so; then
  moved=$work/moved-godot4
  mv "$work/godot4/out" "$moved"
  run_game "$name" "$logs/godot4-game.log" "$moved/game.x86_64" --headless && pass "$name"
fi

name="godot4 web export leaves the addon out (no library, no descriptor, no extension list naming it)"
mkdir -p "$work/godot4/web"
if ! env "${locale[@]}" timeout -k 5 300 "$godot4" --headless --path "$g4_game" --export-pack "Web" \
  "$work/godot4/web/game.pck" >"$logs/godot4-web.log" 2>&1 || [ ! -f "$work/godot4/web/game.pck" ]; then
  fail "$name" "the web pack export failed" "$logs/godot4-web.log"
else
  "$NODE" scripts/lib/pck.mjs list "$work/godot4/web/game.pck" >"$logs/godot4-web.files"
  listed=$("$NODE" scripts/lib/pck.mjs cat "$work/godot4/web/game.pck" .godot/extension_list.cfg 2>/dev/null)
  if ! grep -q 'main.gd' "$logs/godot4-web.files"; then
    fail "$name" "the pack does not hold the game itself" "$logs/godot4-web.files"
  elif grep -q 'addons/webrtc_ts' "$logs/godot4-web.files"; then
    fail "$name" "the pack holds addon files: $(grep 'addons/webrtc_ts' "$logs/godot4-web.files" | tr '\n' ' ')"
  elif grep -q webrtc_ts <<<"$listed"; then
    fail "$name" "the pack's extension_list.cfg names the addon: $listed"
  elif ! grep -qx "res://addons/webrtc_ts/webrtc_ts.gdextension" "$g4_game/.godot/extension_list.cfg"; then
    fail "$name" "the project's own extension list was not restored after the Web export"
  else
    pass "$name"
  fi
fi
finish
