#!/usr/bin/env bash
# The signalling layer with real engines (issue 12): the signalling server (signaling/) and
# the addon's GDScript clients (godot-project/addons/webrtc_ts/signaling/) in separate
# headless Godot processes. The server's own unit tests (signaling/**/*.test.ts) run in the
# root vitest run; this runs:
#   1. the type check of signaling/ and tests/signaling/ (signaling/tsconfig.json);
#   2. tests/signaling/*.test.ts (vitest, tests/signaling/vitest.config.ts): four Godot 3
#      processes (godot3-server) join one lobby of a server the test starts on 127.0.0.1 with
#      a free port, form a WebRTCMultiplayer mesh, exchange reliable and unreliable RPCs; a
#      fifth joins late; one quits and the others see it leave; the host seals the lobby and
#      the mesh outlives signalling. The same with Godot 4 where GODOT4 names a binary
#      (otherwise reported as skipped, never as passed): with the addon's Godot 4 client,
#      and with the networking/webrtc_signaling demo's own client scripts, unchanged, where
#      GODOT_DEMO_PROJECTS names a checkout of godot-demo-projects;
#   3. tests/signaling/demo.test.ts: the multiplayer demo (godot-project/demo/) as setup.sh runs
#      it (scripts/run-demo.mjs), a host and two joiners, in Godot 3 and, with GODOT4, Godot 4.
# The engines run in a copy of godot-project/ with its own copy of the freshly assembled addon
# (build/signaling/project/), so another test re-assembling the addon cannot swap the shim
# under them. Ends with "N passed, N failed" (", N skipped" when any were); exits non-zero on
# any failure.
#
#   bash scripts/run-signaling-tests.sh
# Environment: GODOT3 (default godot3-server, installed when missing), GODOT4 (optional),
# GODOT_DEMO_PROJECTS (optional).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/lib/node.sh

out=$root/build/signaling
mkdir -p "$out"
passed=0
failed=0
skipped=0
failures=()
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL $1${2:+: $2}"; }
finish() {
  echo
  if [ ${#failures[@]} -gt 0 ]; then printf 'failed: %s\n' "${failures[@]}"; fi
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [ "$failed" -eq 0 ]
  exit
}

if "$NODE" node_modules/typescript/bin/tsc --noEmit -p signaling/tsconfig.json >"$out/tsc.log" 2>&1; then
  pass "type check of signaling/ and tests/signaling/"
else
  cat "$out/tsc.log"; fail "type check of signaling/ and tests/signaling/"
fi

if [ -z "${GODOT3:-}" ]; then
  GODOT3=$(bash scripts/godot3.sh) || { fail "godot3-server" "no Godot 3 available (see the line above)"; finish; }
fi
export GODOT3
bash scripts/assemble-addon.sh --quiet || { fail "assemble the addon" "scripts/assemble-addon.sh failed"; finish; }

# The project copy: project.godot and a private addon (its large runtime linked, not copied);
# the test scenes and the demo are linked from the repository.
project=$out/project
rm -rf "$project"
mkdir -p "$project/addons"
cp godot-project/project.godot "$project/"
mkdir -p "$project/addons/webrtc_ts"
for entry in godot-project/addons/webrtc_ts/*; do
  name=$(basename "$entry")
  if [ "$name" = runtime ]; then
    ln -s "$root/$entry" "$project/addons/webrtc_ts/runtime"
  else
    cp -rL "$entry" "$project/addons/webrtc_ts/"
  fi
done
ln -s "$root/godot-project/tests" "$project/tests"
ln -s "$root/godot-project/demo" "$project/demo"
# Godot 4 loads only the extensions listed here (the project is never imported).
mkdir -p "$project/.godot"
echo "res://addons/webrtc_ts/webrtc_ts.gdextension" >"$project/.godot/extension_list.cfg"
demo_client=${GODOT_DEMO_PROJECTS:-}/networking/webrtc_signaling/client
if [ -n "${GODOT_DEMO_PROJECTS:-}" ]; then
  if [ -f "$demo_client/multiplayer_client.gd" ] && [ -f "$demo_client/ws_webrtc_client.gd" ]; then
    mkdir -p "$project/demo_client"
    cp "$demo_client/multiplayer_client.gd" "$demo_client/ws_webrtc_client.gd" "$project/demo_client/"
  else
    fail "the demo's client scripts" "GODOT_DEMO_PROJECTS=$GODOT_DEMO_PROJECTS has no networking/webrtc_signaling/client/"
  fi
fi
mkdir -p "${XDG_DATA_HOME:-$HOME/.local/share}/godot/app_userdata/godot-webrtc-ts" 2>/dev/null
export SIGNALING_GODOT_PROJECT=$project
unset GODOT_WEBRTC_WORKER GODOT_WEBRTC_NODE # the engines use the addon's own worker

report=$out/vitest.json
rm -f "$report"
"$NODE" node_modules/vitest/vitest.mjs run --config tests/signaling/vitest.config.ts \
  --reporter=default --reporter=json "--outputFile.json=$report"
rc=$?
if [ ! -f "$report" ]; then
  fail "engine tests (tests/signaling)" "vitest wrote no report (exit $rc)"
  finish
fi
# Skipped tests say why in their names (e.g. "... (skipped: GODOT4 does not name ...)").
"$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const t of r.testResults) for (const a of t.assertionResults)
    if (a.status === "pending" || a.status === "skipped" || a.status === "todo") console.log(`skip ${a.fullName}`);' "$report"
read -r p f s < <("$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const broken = r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
  console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);' "$report")
passed=$((passed + p))
failed=$((failed + f))
skipped=$((skipped + s))
[ "$f" -gt 0 ] && failures+=("engine tests (tests/signaling): $f failed")
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then fail "engine tests (tests/signaling)" "vitest exited $rc"; fi
finish
