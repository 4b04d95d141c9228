#!/usr/bin/env bash
# Run each C test program given as an argument (a quoted command line), add up their
# "N passed, N failed" lines, and print one closing "N passed, N failed" line. A program
# that exits non-zero, or prints no such line, counts as one more failure.
set -uo pipefail
passed=0
failed=0
for command in "$@"; do
  program=${command%% *}
  echo "== ${program##*/}"
  log=$(mktemp)
  bash -c "$command" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "(no 'N passed, N failed' line, exit $rc: one failure)"
    failed=$((failed + 1))
    continue
  fi
  p=${line%% passed*}
  f=${line#*, }
  f=${f%% failed*}
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "(exit $rc with no failed test: one failure)"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
