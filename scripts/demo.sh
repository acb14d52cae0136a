#!/usr/bin/env bash
# mamori — the main job on the bundled demo data (README, first command): scan
# every log under data/demo/ with the demo configuration, match the demo
# inventories against the bundled advisories, judge the sample mail messages
# (mamori mail), find and count the personal data on a contractor's server
# (mamori dlp), then group everything into incidents and write the
# management report.
# Usage: scripts/demo.sh [BUILD_DIR]   (default build/); env DEMO_DB, DEMO_REPORT
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build}/mamori
db=${DEMO_DB:-demo.db}
report=${DEMO_REPORT:-report.html}
[[ -x "$bin" ]] || { echo "demo: $bin not found; build first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }
rm -f "$db"

echo "== mamori scan: web, sshd and the other logs under data/demo/" >&2
"$bin" scan data/demo --glob '*.log*' -c data/demo/mamori.yaml --tz UTC --db "$db" --text

echo "== mamori vuln: demo inventories x bundled advisories (the Java SE patch case)" >&2
"$bin" vuln -i data/demo/inventory/hosts.csv -a data/demo/advisories --db "$db"

echo "== mamori mail: the .eml samples under data/demo/mail/eml/ (phishing verdicts)" >&2
"$bin" mail -c data/demo/mamori.yaml --db "$db" --text data/demo/mail/eml

echo "== mamori dlp: personal data on the contractor's server (data/demo/dlp/)" >&2
"$bin" dlp data/demo/dlp --db "$db" --host contractor-srv1 --no-progress

echo "== mamori report → $report" >&2
"$bin" report --db "$db" --month 2026-11 --tz Asia/Tokyo --lang en -o "$report"
echo "demo: alerts above, store $db, report $report" >&2
