#!/usr/bin/env bash
# Installs the npm tools pinned in package.json and package-lock.json (the one place for
# their versions) into .node-tools/ (git-ignored), with `npm ci`: Pagefind 1.6.0 extended
# (the site's search index, smesa/site/pagefind.py), axe-core (injected into pages by
# tests/browser) and lighthouse (`make lighthouse`). The lock file names no registry
# host (npm's omit-lockfile-registry-resolved), so npm ci fetches from the registry npm
# is configured with. Node and npm come from Debian. Does nothing when the installed
# tools were made from this lock file; otherwise installs into a new folder and swaps it
# in, so a failed install, or a build running meanwhile, keeps the previous tools.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.node-tools
stamp=installed-from-package-lock.json
# npm ci puts in the Pagefind binary of this machine's system and processor only.
if cmp -s package-lock.json "$target/$stamp" \
  && compgen -G "$target/node_modules/@pagefind/*-*/bin/pagefind_extended*" >/dev/null; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-node-tools: npm is missing; run as root or: sudo apt-get install nodejs npm" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
new="$target.new-$$"
trap 'rm -rf "$new"' EXIT
mkdir -p "$new"
cp package.json package-lock.json "$new/"
npm ci --prefix "$new" --no-audit --no-fund --loglevel=error
cp package-lock.json "$new/$stamp"
if [ -e "$target" ]; then mv "$target" "$target.old-$$"; fi
mv "$new" "$target"
rm -rf "$target.old-$$"
