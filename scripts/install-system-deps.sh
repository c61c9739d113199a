#!/usr/bin/env bash
# Installs the Debian packages the tests need: Chromium (browser tests, driven by
# Playwright through /usr/bin/chromium: browser downloads are not possible here) and
# CJK fonts (Chinese text in screenshots and charts). Does nothing when present.
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || packages+=(fonts-noto-cjk)
# pdftoppm: the report tests render the annual report's PDF pages to images.
command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: missing ${packages[*]}; run as root or: sudo apt-get install ${packages[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
