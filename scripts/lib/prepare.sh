# Sourced by setup.sh and test.sh: dependencies from the lock file, then the build.
prepare() {
  if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
    echo "Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none))" >&2
    return 1
  fi
  if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
  if [ -f bridge/Makefile ]; then
    make -s -C bridge addon
  fi
  node scripts/build.mjs
  if [ -f bridge/Makefile ]; then
    make -s -C bridge
  fi
}
