#!/usr/bin/env bash
# Installs the pinned npm tools into .node-tools/ (git-ignored): Pagefind 1.6.0 extended
# (the site's search index, smesa/site/pagefind.py), axe-core (injected into pages by
# tests/browser) and lighthouse (`make lighthouse`).
# Node and npm come from Debian. Does nothing when the pinned versions are present.
set -euo pipefail
cd "$(dirname "$0")/.."
AXE_CORE=4.14.1
LIGHTHOUSE=13.5.0
PAGEFIND=1.6.0
target=.node-tools
have() { [ -f "$target/node_modules/$1/package.json" ] && grep -q "\"version\": \"$2\"" "$target/node_modules/$1/package.json"; }
if have axe-core "$AXE_CORE" && have lighthouse "$LIGHTHOUSE" && have pagefind "$PAGEFIND" \
  && [ -x "$target/node_modules/@pagefind/linux-x64/bin/pagefind_extended" ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-node-tools: npm is missing; run as root or: sudo apt-get install nodejs npm" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
mkdir -p "$target"
[ -f "$target/package.json" ] || echo '{"private": true}' > "$target/package.json"
npm install --prefix "$target" --no-audit --no-fund --save-exact --loglevel=error \
  "axe-core@$AXE_CORE" "lighthouse@$LIGHTHOUSE" "pagefind@$PAGEFIND"
