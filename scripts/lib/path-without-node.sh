# Sourced: path_without_node prints a PATH that has every program of the current PATH but
# Node.js (node, nodejs, npm, npx, corepack): a folder of links under build/. Used to prove
# the addon runs on its bundled runtime alone.
path_without_node() {
  local dir
  dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/path-without-node
  rm -rf "$dir"
  mkdir -p "$dir"
  local folder
  local -a folders
  IFS=: read -r -a folders <<<"$PATH"
  for folder in "${folders[@]}"; do
    [ -d "$folder" ] || continue
    # Earlier folders win, as on PATH: ln without -f leaves an existing link alone.
    find "$folder" -maxdepth 1 \( -type f -o -type l \) -perm -u+x \
      ! -name node ! -name nodejs ! -name npm ! -name npx ! -name corepack -print0 2>/dev/null |
      xargs -0 -r ln -s -t "$dir" 2>/dev/null
  done
  if PATH=$dir command -v node >/dev/null 2>&1; then
    echo "path_without_node: node is still reachable" >&2
    return 1
  fi
  echo "$dir"
}
