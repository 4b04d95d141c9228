# Sourced by the Godot 3 and Godot 4 scene runners (run-godot3-tests.sh, run-godot4-tests.sh):
# how a scene's log is judged, and the directives a scene carries on comment lines of its own:
#   # runner-expect: TEXT        a line of the log contains TEXT
#   # runner-expect-once: TEXT   exactly one line does
#   # runner-absent: TEXT        no line does
#   # runner-setting: section/key=value   the scene runs in a linked copy of the project whose
#                                          override.cfg sets it (one line per setting)
# Needs fail() (tally.sh), $failure_pattern and $timeout_s from the runner.

# test-name scene-file log rc -> 0 when the scene passed, else reported through fail().
# A scene passes when Godot exits 0 before the timeout, prints no failure line, prints its
# sentinel "END-OF-SCENE <scene>" and meets every directive above.
scene_log_passed() {
  local name=$1 file=$2 log=$3 rc=$4 scene expected count
  scene=$(basename "$file" .gd)
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then fail "$name" "timed out after ${timeout_s}s" "$log"; return 1; fi
  if grep -Eq "$failure_pattern" "$log"; then
    fail "$name" "$(grep -Em 1 "$failure_pattern" "$log")" "$log"; return 1
  fi
  if [ "$rc" -ne 0 ]; then fail "$name" "exit code $rc" "$log"; return 1; fi
  if ! grep -q "^END-OF-SCENE $scene\$" "$log"; then fail "$name" "no end sentinel" "$log"; return 1; fi
  while IFS= read -r expected; do
    if ! grep -qF -- "$expected" "$log"; then fail "$name" "no line with \"$expected\"" "$log"; return 1; fi
  done < <(sed -n 's/^# runner-expect: //p' "$file")
  while IFS= read -r expected; do
    count=$(grep -cF -- "$expected" "$log")
    if [ "$count" -ne 1 ]; then fail "$name" "$count lines with \"$expected\", expected exactly one" "$log"; return 1; fi
  done < <(sed -n 's/^# runner-expect-once: //p' "$file")
  while IFS= read -r expected; do
    if grep -qF -- "$expected" "$log"; then fail "$name" "a line with \"$expected\": $(grep -m 1 -F -- "$expected" "$log")" "$log"; return 1; fi
  done < <(sed -n 's/^# runner-absent: //p' "$file")
  return 0
}

# scene-file project copy -> 0 and the copy made (its override.cfg holding the scene's
# settings) when the scene has runner-setting lines; 1 (nothing made) when it has none.
scene_settings_copy() {
  local file=$1 project=$2 copy=$3 line
  grep -q '^# runner-setting: ' "$file" || return 1
  rm -rf "$copy"
  cp -rs "$project" "$copy"
  while IFS= read -r line; do # section/key=value -> [section] key=value
    printf '[%s]\n%s\n\n' "${line%%/*}" "${line#*/}"
  done < <(sed -n 's/^# runner-setting: //p' "$file") >"$copy/override.cfg"
  return 0
}
