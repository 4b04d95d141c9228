# Sourced by setup.sh and test.sh: dependencies from the lock file, then the build.
# Installing needs Node.js 20+ with npm; after that the project's tools run on `node` from
# PATH or, without one, on the runtime the lock file installed (scripts/lib/node.sh).
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
prepare() {
  if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "installing needs Node.js 20 or newer with npm (https://nodejs.org/); none is on PATH" >&2
      return 1
    fi
    npm ci --no-audit --no-fund
    unset NODE
    source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
  fi
  if ! "$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
    echo "Node.js 20 or newer is needed (found $("$NODE" --version 2>/dev/null || echo none))" >&2
    return 1
  fi
  make -s -C bridge addon
  "$NODE" scripts/build.mjs
  make -s -C bridge
}
