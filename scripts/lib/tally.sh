# Sourced by the test runners: one way to count and report. pass/fail/skip print one line
# each ("ok", "FAIL", "skip"); fail may show the last lines of a log. tally_report prints the
# failed names and the closing "N passed, N failed[, N skipped]" line, and returns non-zero
# when anything failed.
passed=0
failed=0
skipped=0
failures=()
pass() { passed=$((passed + 1)); echo "ok   $1"; }
skip() { skipped=$((skipped + 1)); echo "skip $1: $2"; }
fail() { # name reason [log]
  failed=$((failed + 1)); failures+=("$1"); echo "FAIL $1: $2"
  if [ -n "${3:-}" ] && [ -f "$3" ]; then echo "---- last lines of $3"; tail -n 40 "$3"; echo "----"; fi
}
# A program that prints its own "N passed, N failed" line: its counts join ours; a non-zero
# exit without a failed count is one failure, and no line at all is one failure.
count_run() { # name log exit-code
  local line p f
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
  if [ -z "$line" ]; then
    fail "$1" "no result line (exit $3)" "$2"; return
  fi
  p=${line%% passed*}
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$f" -gt 0 ] || [ "$3" -ne 0 ]; then
    failures+=("$1")
    [ "$f" -eq 0 ] && failed=$((failed + 1))
  fi
}
# platform label logs -> packages the platform's release zip (scripts/package.sh), unpacks it
# without file modes (as a user's extractor does) into <logs>/zip, and checks it against both
# descriptors; sets $zip and $unpacked. Returns 1 (reported) when the zip cannot be made.
package_and_check() {
  local platform=$1 label=$2 logs=$3 rc
  if bash scripts/package.sh --platform "$platform" >"$logs/package.log" 2>&1; then
    zip=$(grep -Eo "^dist/[^:]+-$platform\.zip" "$logs/package.log" | tail -n 1)
    pass "packaged $(tail -n 1 "$logs/package.log")"
  else
    fail "the $label release zip" "scripts/package.sh --platform $platform failed" "$logs/package.log"; return 1
  fi
  unpacked=$logs/zip
  rm -rf "$unpacked"
  python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$zip" "$unpacked"
  "$NODE" scripts/lib/check-descriptors.mjs "$unpacked/addons/webrtc_ts" "$platform" --only >"$logs/descriptors.log" 2>&1
  rc=$?
  cat "$logs/descriptors.log"
  count_run "the $label zip against webrtc_ts.gdextension and webrtc_ts.gdnlib" "$logs/descriptors.log" "$rc"
}
tally_report() {
  echo
  if [ ${#failures[@]} -gt 0 ]; then printf 'failed: %s\n' "${failures[@]}"; fi
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [ "$failed" -eq 0 ]
}
