#!/usr/bin/env bash
# The README's first command ends in scripts/demo.sh: it must run on the
# bundled data and write a report that carries the scan's incidents and the
# vulnerable Java hosts.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bdir=$(dirname "$bin")
DEMO_DB="$tmp/demo.db" DEMO_REPORT="$tmp/report.html" bash "$src/scripts/demo.sh" "$bdir" \
  > "$tmp/out.txt" 2> "$tmp/err.txt" || { cat "$tmp/err.txt"; echo "FAIL: demo.sh exited $?"; exit 1; }
[[ -s "$tmp/report.html" ]] || { echo "FAIL: no report.html"; exit 1; }
grep -q 'CVE-2023-21835' "$tmp/report.html" || { echo "FAIL: report lacks the Java SE finding"; exit 1; }
grep -q 'access.log:3551' "$tmp/out.txt" || { echo "FAIL: scan alerts not printed"; exit 1; }
grep -q 'contractor-srv1' "$tmp/report.html" || { echo "FAIL: report lacks the DLP incident"; exit 1; }
n=$(sqlite3 "$tmp/demo.db" 'select sum(records_pii) from dlp_files')
[[ "$n" == 222 ]] || { echo "FAIL: $n DLP records with PII stored, 222 expected"; exit 1; }
n=$(sqlite3 "$tmp/demo.db" 'select count(*) from findings')
[[ "$n" == 2 ]] || { echo "FAIL: $n findings stored, 2 expected"; exit 1; }
echo "demo.sh: $(grep -c . "$tmp/out.txt") alert lines, $n findings, report $(wc -c < "$tmp/report.html") bytes"
