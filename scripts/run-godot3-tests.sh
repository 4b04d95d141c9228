#!/usr/bin/env bash
# The Godot 3 layer: real headless Godot 3 (Debian's godot3-server 3.2.3) running the scenes
# in godot-project/tests/godot3/ through the GDNative shim. Each scene is one test: it passes
# when Godot exits 0, printed the scene's end sentinel "END-OF-SCENE <name>", printed every
# line the scene's "# runner-expect:" comments name, and printed no failure line (below), and
# when no worker process outlives Godot. Two scenes are driven from here:
#   godot_kill  Godot is SIGKILLed mid-session: its worker must exit by itself and /dev/shm
#               must be unchanged (the region is a memfd: nothing to leave behind);
#   exit_open   Godot quits with connections open, GODOT3_EXIT_RUNS times in a row (100).
# Pass 1 runs every scene on the optimized shim (what users get). Pass 2 runs every scene
# except the exit loop again on the shim built with ASan + UBSan, preloaded into the engine
# (the engine itself is not instrumented). Ends with "N passed, N failed"; exits non-zero
# on any failure.
#
#   bash scripts/run-godot3-tests.sh                 both passes
#   bash scripts/run-godot3-tests.sh basic close     only these scenes (both passes)
#   bash scripts/run-godot3-tests.sh --no-asan       pass 1 only
#   bash scripts/run-godot3-tests.sh --asan-only     pass 2 only (exit loop included)
# Every scene runs with a PATH that has no Node.js at all (scripts/lib/path-without-node.sh):
# the addon must start its worker on the runtime it ships (addons/webrtc_ts/runtime/node).
# A scene with "# runner-project: without-runtime" runs in a linked copy of the project
# whose addon lacks that runtime; one with "# runner-setting: section/key=value" lines runs in
# a linked copy with an override.cfg setting them (value as Godot writes it, e.g. "debug").
# Besides "# runner-expect: text" (some line has it), a scene may name
# "# runner-expect-once: text" (exactly one line has it) and "# runner-absent: text" (none).
# Environment: GODOT3 (a Godot 3.2+ binary; default godot3-server, installed when missing),
# GODOT3_TIMEOUT (seconds per scene, 300), GODOT3_EXIT_RUNS (100).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/lib/path-without-node.sh

passes="release asan"
only=()
for arg in "$@"; do
  case $arg in
    --no-asan) passes="release" ;;
    --asan-only | --asan) passes="asan" ;;
    -*) echo "usage: $0 [--no-asan|--asan-only] [scene...]" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done

timeout_s=${GODOT3_TIMEOUT:-300}
exit_runs=${GODOT3_EXIT_RUNS:-100}
project=godot-project
scenes_dir=$project/tests/godot3
worker_script=$root/$project/addons/webrtc_ts/worker/worker.mjs
logs=$root/build/godot3
mkdir -p "$logs"

source scripts/lib/tally.sh
source scripts/lib/scene-checks.sh
finish() {
  # Leave the optimized shim in the addon folder (what the demo and users run).
  [ "${assembled:-}" = asan ] && bash scripts/assemble-addon.sh --quiet
  tally_report
  exit
}

# ---- Godot 3 ----
godot=${GODOT3:-}
if [ -z "$godot" ]; then
  godot=$(bash scripts/godot3.sh) || { fail "godot3-server" "no Godot 3 available (see the line above)"; finish; }
fi
version=$("$godot" --version 2>/dev/null | head -n 1) # (3.2 exits 255 after printing it)
if [ -z "$version" ]; then
  fail "godot3-server" "$godot does not run"; finish
fi
echo "Godot $version ($godot)"

if make -s -C bridge/gdnative check >"$logs/exports.log" 2>&1; then
  pass "shim exports only the GDNative entry points"
else
  fail "shim exports only the GDNative entry points" "$(tail -n 1 "$logs/exports.log")"
fi
if make -s -C bridge/gdnative test >"$logs/unit.log" 2>&1; then
  pass "shim unit tests against a fake engine ($(tail -n 1 "$logs/unit.log"))"
else
  fail "shim unit tests against a fake engine" "$(grep -Em 1 'FAIL|ERROR|error' "$logs/unit.log")" "$logs/unit.log"
fi

unset GODOT_WEBRTC_WORKER GODOT_WEBRTC_NODE # the scenes test the addon's own worker
no_node_path=$(path_without_node) || { fail "a PATH without node" "could not make one"; finish; }
echo "scenes run with PATH=$no_node_path (no node): the addon's own runtime serves them"
mkdir -p "${XDG_DATA_HOME:-$HOME/.local/share}/godot/app_userdata/godot-webrtc-ts" 2>/dev/null

# A failure line from a scene, the engine, or a sanitizer. Engine "ERROR:" lines are not
# failures by themselves: the bad-input scenes expect one per bad call.
failure_pattern='^FAIL|SCRIPT ERROR|Parse Error|Program crashed|handle_crash|Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:|ObjectDB instances leaked|Assertion .* failed'

# This run's workers only: each Godot started here carries GODOT3_RUNNER=<run id> in its
# environment, and its worker inherits it. Another run's (or a game's) workers are left alone.
runner_id="$$-$(date +%s%N)"
worker_pids() {
  local pid
  for pid in $(pgrep -f -- "$worker_script" 2>/dev/null); do
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "GODOT3_RUNNER=$runner_id" && echo "$pid"
  done | tr '\n' ' ' | sed 's/ $//'
}
shm_snapshot() { ls -1 /dev/shm 2>/dev/null | sort; }
want() { # scene -> whether to run it
  [ ${#only[@]} -eq 0 ] && return 0
  local s; for s in "${only[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# A scene may ask for environment variables ("# runner-env: NAME=value ..."); the other
# directives are scripts/lib/scene-checks.sh's.
scene_env() { sed -n 's/^# runner-env: //p' "$scenes_dir/$1.gd" | head -n 1; }
# The project a scene runs in: the real one, a linked copy with the scene's settings, or a
# linked copy without the bundled runtime.
scene_project() {
  if scene_settings_copy "$scenes_dir/$1.gd" "$root/$project" "$logs/project-settings-$1"; then
    echo "$logs/project-settings-$1"
  elif grep -q '^# runner-project: without-runtime$' "$scenes_dir/$1.gd"; then
    local copy=$logs/project-without-runtime
    rm -rf "$copy"
    cp -rs "$root/$project" "$copy"
    rm -rf "$copy/addons/webrtc_ts/runtime"
    echo "$copy"
  else
    echo "$project"
  fi
}
run_godot() { # scene [NAME=value...]; runs Godot in the foreground under the timeout
  local scene=$1; shift
  local extra; read -r -a extra <<<"$(scene_env "$scene")"
  timeout -k 5 "$timeout_s" "${godot_env[@]}" "${extra[@]}" "$@" "$godot" --no-window --path "$(scene_project "$scene")" \
    -s "res://tests/godot3/$scene.gd"
}

check_log() { # test-name scene log rc -> 0 when the scene passed (else reported)
  scene_log_passed "$1" "$scenes_dir/$2.gd" "$3" "$4"
}

no_worker_left() { # test-name -> 0 when no worker outlived Godot (else reported, and killed)
  # The worker exits on its own once Godot has gone (doorbell EOF): within a second on a
  # quiet machine, a few under a loaded one; 5 s tells a slow exit from one that never comes.
  local left tries=0; left=$(worker_pids)
  while [ -n "$left" ] && [ $tries -lt 25 ]; do sleep 0.2; tries=$((tries + 1)); left=$(worker_pids); done
  [ -z "$left" ] && return 0
  fail "$1" "a worker outlived Godot (pid $left)"
  kill -9 $left 2>/dev/null
  return 1
}

run_scene() { # pass scene
  local tag=$1 scene=$2 name log start rc
  name=$scene; [ "$tag" = asan ] && name="asan: $scene"
  log=$logs/$scene.$tag.log
  start=$(date +%s)
  run_godot "$scene" >"$log" 2>&1
  rc=$?
  check_log "$name" "$scene" "$log" "$rc" || return
  no_worker_left "$name" || return
  pass "$name ($(grep -Eo '[0-9]+ checks passed' "$log" | head -n 1), $(($(date +%s) - start))s)"
}

run_godot_kill() { # pass
  local tag=$1 name=godot_kill log before ready gpid wpid gone after
  [ "$tag" = asan ] && name="asan: godot_kill"
  log=$logs/godot_kill.$tag.log
  before=$(shm_snapshot)
  "${godot_env[@]}" "$godot" --no-window --path "$project" -s "res://tests/godot3/godot_kill.gd" >"$log" 2>&1 &
  gpid=$!
  ready=""
  for _ in $(seq 1 $((timeout_s * 10))); do
    ready=$(grep -Eo '^READY worker=[0-9]+' "$log" | head -n 1)
    [ -n "$ready" ] && break
    kill -0 "$gpid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$ready" ] || grep -Eq "$failure_pattern" "$log"; then
    kill -9 "$gpid" 2>/dev/null; wait "$gpid" 2>/dev/null
    fail "$name" "the scene did not reach READY cleanly" "$log"; return
  fi
  wpid=${ready#READY worker=}
  kill -9 "$gpid"; wait "$gpid" 2>/dev/null
  gone=0
  for _ in $(seq 1 100); do # the worker sees its doorbell's EOF: give it 10 s
    if ! kill -0 "$wpid" 2>/dev/null; then gone=1; break; fi
    sleep 0.1
  done
  after=$(shm_snapshot)
  if [ "$gone" -ne 1 ]; then
    fail "$name" "worker $wpid still runs 10 s after Godot was killed"; kill -9 "$wpid" 2>/dev/null
  elif [ "$before" != "$after" ]; then
    fail "$name" "/dev/shm changed: $(diff <(echo "$before") <(echo "$after") | tr '\n' ' ')"
  elif [ -n "$(worker_pids)" ]; then
    fail "$name" "a worker process remains: $(worker_pids)"
  else
    pass "$name (worker $wpid gone after Godot's SIGKILL, /dev/shm unchanged)"
  fi
}

run_exit_loop() { # pass
  local tag=$1 name=exit_open log before reason="" start run rc
  [ "$tag" = asan ] && name="asan: exit_open"
  log=$logs/exit_open.$tag.log
  before=$(shm_snapshot)
  start=$(date +%s)
  for run in $(seq 1 "$exit_runs"); do
    run_godot exit_open "GODOT3_EXIT_RUN=$run" >"$log" 2>&1
    rc=$?
    if ! check_log "$name" exit_open "$log" "$rc"; then
      echo "(that was run $run of $exit_runs)"; reason=counted; break
    fi
    if ! no_worker_left "$name (run $run of $exit_runs)"; then reason=counted; break; fi
  done
  [ -z "$reason" ] && [ "$before" != "$(shm_snapshot)" ] && reason="/dev/shm changed"
  if [ -z "$reason" ]; then
    pass "$name ($exit_runs exits with open connections, $(($(date +%s) - start))s)"
  elif [ "$reason" != counted ]; then
    fail "$name" "$reason"
  fi
}

assembled=""
for tag in $passes; do
  # Godot 3 rejects the C locale with three error lines: give it one it accepts.
  godot_env=(env LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 "PATH=$no_node_path" "GODOT3_RUNNER=$runner_id")
  if [ "$tag" = asan ]; then
    runtime=$(make -s -C bridge/gdnative asan-runtime)
    if [ ! -f "$runtime" ]; then
      echo "(the compiler has no ASan runtime: the sanitized pass is not run)"
      continue
    fi
    # The shim's ASan build unsets LD_PRELOAD at init, so the worker and tools it spawns run plain.
    godot_env+=("LD_PRELOAD=$runtime" "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1"
      "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
    echo "== pass 2: shim with ASan + UBSan (LD_PRELOAD=$runtime)"
    bash scripts/assemble-addon.sh --quiet --asan || { fail "assemble the addon (asan)" "assemble-addon.sh failed"; finish; }
  else
    echo "== pass 1: optimized shim"
    bash scripts/assemble-addon.sh --quiet || { fail "assemble the addon" "assemble-addon.sh failed"; finish; }
  fi
  assembled=$tag
  for file in "$scenes_dir"/*.gd; do
    scene=$(basename "$file" .gd)
    want "$scene" || continue
    case $scene in
      godot_kill) run_godot_kill "$tag" ;;
      exit_open)
        # The 100-exit loop runs on the optimized shim; the sanitized pass exits 10 times.
        if [ "$tag" = asan ] && [ "$passes" != asan ]; then exit_runs_saved=$exit_runs; exit_runs=10; fi
        run_exit_loop "$tag"
        [ -n "${exit_runs_saved:-}" ] && { exit_runs=$exit_runs_saved; unset exit_runs_saved; }
        ;;
      *) run_scene "$tag" "$scene" ;;
    esac
  done
done

finish
