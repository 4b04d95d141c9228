# Sourced by the scripts: NODE is the Node.js that runs the project's own tools. `node` on
# PATH when there is one (20 or newer), else the runtime the lock file installs
# (node_modules/.bin/node), so nothing after `npm ci` needs a system Node.
if [ -z "${NODE:-}" ]; then
  if command -v node >/dev/null 2>&1; then
    NODE=$(command -v node)
  elif [ -x "$(dirname "${BASH_SOURCE[0]}")/../../node_modules/.bin/node" ]; then
    NODE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../node_modules/.bin" && pwd)/node
  else
    NODE=node
  fi
fi
export NODE
