#!/usr/bin/env bash
# README's second command and CI's: every test layer, one closing line
# "N passed, N failed" (", N skipped" when any were skipped). Exits non-zero
# on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prepare.sh
mkdir -p build

passed=0
failed=0
skipped=0
failures=()

# A check that passes or fails as one test.
check() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

# A runner that prints its own "N passed, N failed" line: add its counts.
counted() {
  local name=$1 log=build/$2
  shift 2
  echo "== $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "$name: no 'N passed, N failed' line (exit $rc): counted as one failure"
    failed=$((failed + 1))
    failures+=("$name")
    return
  fi
  local p f s
  p=$(sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
  if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
    failures+=("$name")
    [ "$f" -eq 0 ] && failed=$((failed + 1))
  fi
}

if ! prepare; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

check "typecheck (tsc --noEmit)" "$NODE" node_modules/typescript/bin/tsc --noEmit -p tsconfig.json
check "generated files match the engine API extract (godot-api/)" bash -c \
  '"$NODE" scripts/gen-godot-enums.mjs --check && "$NODE" bridge/gdextension/gen-api-dump.mjs --check && "$NODE" bridge/protocol/generate.mjs --check'
check "a clone with nothing beside it installs, builds and checks itself" bash scripts/check-fresh-clone.sh
# Debian's chromium, firefox-esr and coturn for tests/interop/ (quiet when present).
check "interop tools (scripts/install-interop.sh)" bash scripts/install-interop.sh
counted "vitest" vitest.log "$NODE" scripts/lib/vitest-summary.mjs
counted "bridge C tests (rings, client, worker; ASan+UBSan)" bridge.log make -s -C bridge test
counted "Godot 3 scenes (godot3-server, GDNative)" godot3.log bash scripts/run-godot3-tests.sh
counted "signalling: server and GDScript clients in real Godot processes" signaling.log bash scripts/run-signaling-tests.sh
counted "GDExtension shim (C host, ASan+UBSan)" gdextension.log make -s -C bridge/gdextension test
counted "Godot 4 scenes (run when GODOT4 names a binary)" godot4.log bash scripts/run-godot4-tests.sh
counted "shipping: exported games and the release zip, no node on PATH" export.log bash scripts/run-export-tests.sh
counted "Windows: mingw-w64 cross-build; under Wine the platform layer, the release zip and the C host on it" windows.log bash scripts/run-windows-tests.sh
counted "Linux arm64: cross-build; under qemu-user the locate rule, the release zip, the client's end-to-end test, the C host and Godot 3 arm64 scenes on it" arm64.log bash scripts/run-arm64-tests.sh

echo
if [ ${#failures[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
