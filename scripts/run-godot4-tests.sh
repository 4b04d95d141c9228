#!/usr/bin/env bash
# The Godot 4 layer: a real headless Godot 4 (env GODOT4: a Godot 4.1+ binary) running the
# scenes in godot-project/tests/godot4/ through the GDExtension shim. Each scene is one
# test; it passes when Godot exits 0, printed the scene's end sentinel
# ("END-OF-SCENE <name>"), printed no failure line, and left no worker process behind.
# Without GODOT4 every scene is reported as skipped, never as passed. Ends with
# "N passed, N failed" (", N skipped" when any were); exits non-zero on any failure.
#
#   GODOT4=/path/to/godot4 bash scripts/run-godot4-tests.sh              every scene
#   GODOT4=/path/to/godot4 bash scripts/run-godot4-tests.sh basic close  only these
#
# The project is never imported: this script writes godot-project/.godot/extension_list.cfg
# itself (the engine loads only the extensions listed there), then runs
#   $GODOT4 --headless --path godot-project -s res://tests/godot4/<scene>.gd
# A scene may name lines its log must hold: "# runner-expect: text" (some line has it),
# "# runner-expect-once: text" (exactly one), "# runner-absent: text" (none); and project
# settings: "# runner-setting: section/key=value" lines run it in a linked copy of the project
# with an override.cfg setting them (value as Godot writes it, e.g. "debug").
# Environment: GODOT4, GODOT4_TIMEOUT (seconds per scene, 180).
# Every scene runs with a PATH that has no Node.js at all: the worker starts on the runtime
# the addon ships.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/lib/path-without-node.sh
source scripts/lib/node.sh

only=()
for arg in "$@"; do
  case $arg in
    -*) echo "usage: $0 [scene...]" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done

project=godot-project
scene_dir=$project/tests/godot4
addon=$project/addons/webrtc_ts
descriptor=$addon/webrtc_ts.gdextension
library=$addon/lib/libwebrtc_ts_gdextension.linux.x86_64.so
worker_script=$root/$addon/worker/worker.mjs
timeout_s=${GODOT4_TIMEOUT:-180}
logs=$root/build/godot4
mkdir -p "$logs"

want() { # scene -> whether to run it
  [ ${#only[@]} -eq 0 ] && return 0
  local s; for s in "${only[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

scenes=()
for file in "$scene_dir"/*.gd; do
  name=$(basename "$file" .gd)
  want "$name" && scenes+=("$name")
done

source scripts/lib/tally.sh
source scripts/lib/scene-checks.sh
finish() { tally_report; exit; }

# ---- no Godot 4: every scene is skipped, and says so ----
if [ -z "${GODOT4:-}" ]; then
  for name in "${scenes[@]}"; do
    skip "$name" "GODOT4 is not set (point it at a Godot 4.1+ binary to run the Godot 4 scenes)"
  done
  finish
fi

godot=$GODOT4
version=$("$godot" --headless --version 2>/dev/null | tail -n 1)
case $version in
  4.*) echo "Godot $version ($godot)" ;;
  *) fail "godot4" "$godot is not a Godot 4 binary (--version said \"$version\")"; finish ;;
esac

# ---- the addon: assembled by scripts/assemble-addon.sh, checked here ----
if ! bash scripts/assemble-addon.sh --quiet; then
  fail "assemble the addon" "scripts/assemble-addon.sh failed"; finish
fi
for needed in "$descriptor" "$library" "$addon/worker/worker.mjs" "$addon/worker/$("$NODE" scripts/lib/platform.mjs folder)/shm.node"; do
  if [ ! -f "$needed" ]; then
    fail "assemble the addon" "$needed is missing (scripts/assemble-addon.sh must install the GDExtension shim)"; finish
  fi
done
if ! cmp -s plugin.gdextension "$descriptor"; then
  fail "assemble the addon" "$descriptor differs from plugin.gdextension (the one source of truth)"; finish
fi
if make -s -C bridge/gdextension check-exports >"$logs/exports.log" 2>&1; then
  pass "shim exports only its GDExtension entry symbol"
else
  fail "shim exports only its GDExtension entry symbol" "$(tail -n 1 "$logs/exports.log")"
fi

# ---- how Godot runs: no import step; the extension list is written here ----
mkdir -p "$project/.godot"
printf 'res://addons/webrtc_ts/webrtc_ts.gdextension\n' >"$project/.godot/extension_list.cfg"
unset GODOT_WEBRTC_WORKER GODOT_WEBRTC_NODE # the scenes test the addon's own worker and runtime
no_node=$(path_without_node) || { fail "a PATH without node" "could not make one"; finish; }

# A failure line from a scene, the engine, or a sanitizer. Engine "ERROR:" lines are not
# failures by themselves: the bad-input scenes expect one per bad call.
failure_pattern='^FAIL|SCRIPT ERROR|Parse Error|Program crashed|handle_crash|Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:|ObjectDB instances leaked|Required virtual method|No default WebRTC extension|non-existent interface function|GDExtension dynamic library|Can.t open dynamic library|initialization function returned an error'

worker_pids() { pgrep -f -- "$worker_script" 2>/dev/null | tr '\n' ' '; }

check_log() { # name log rc -> 0 when the scene passed
  scene_log_passed "$1" "$scene_dir/$1.gd" "$2" "$3"
}

# The project a scene runs in: the real one, or a linked copy with the scene's settings.
scene_project() {
  if scene_settings_copy "$scene_dir/$1.gd" "$root/$project" "$logs/project-settings-$1"; then
    echo "$logs/project-settings-$1"
  else
    echo "$project"
  fi
}

for name in "${scenes[@]}"; do
  log=$logs/$name.log
  start=$(date +%s)
  PATH=$no_node timeout -k 5 "$timeout_s" "$godot" --headless --path "$(scene_project "$name")" -s "res://tests/godot4/$name.gd" >"$log" 2>&1
  rc=$?
  if check_log "$name" "$log" "$rc"; then
    left=$(worker_pids)
    if [ -n "$left" ]; then
      sleep 1; left=$(worker_pids)
    fi
    if [ -n "$left" ]; then
      fail "$name" "a worker outlived Godot (pid $left)"
      # shellcheck disable=SC2086 # one pid per word
      kill -9 $left 2>/dev/null
    else
      pass "$name ($(grep -Eo '[0-9]+ checks passed' "$log" | head -n 1), $(( $(date +%s) - start ))s)"
    fi
  fi
done
finish
