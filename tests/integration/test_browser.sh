#!/usr/bin/env bash
# Browser test of report.html (tests/browser/report.test.mjs): Debian's
# Chromium driven by playwright-core from npm (installed with `npm ci` into the
# build directory; playwright never downloads a browser). Artifacts
# (report.png, report-phone.png, report.pdf) stay in <build>/browser-artifacts.
# Skips (77) only when Chromium or Node.js is not installed.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
chromium=${MM_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: needs $chromium, node and npm (scripts/install-deps.sh installs them)"; exit 77
fi
build=$(cd "$(dirname "$bin")" && pwd)
work="$build/browser-test"; art="$build/browser-artifacts"
mkdir -p "$work" "$art"
cp "$src/tests/browser/package.json" "$src/tests/browser/package-lock.json" \
   "$src/tests/browser/report.test.mjs" "$work/"
if ! cmp -s "$work/package-lock.json" "$work/node_modules/.package-lock.json" 2>/dev/null ||
   [[ ! -d "$work/node_modules/playwright-core" ]]; then
  (cd "$work" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --silent)
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$src" && "$bin" scan data/demo --glob '*.log*' --tz UTC --db "$tmp/demo.db" -q --no-progress > /dev/null)
for lang in ja en; do
  (cd "$src" && "$bin" report --month 2026-11 --tz Asia/Tokyo --db "$tmp/demo.db" --lang $lang -o "$art/report.$lang.html")
  mkdir -p "$art/$lang"
  (cd "$work" && node report.test.mjs "$art/report.$lang.html" "$art/$lang")
done
echo "browser: ok (artifacts in $art)"
