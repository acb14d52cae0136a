#!/usr/bin/env bash
# bench_egress.sh — Zeek conn.log (TSV) throughput of `mamori scan` with the
# egress analyzers, beside tools that do far less on the same file, and the
# analyzers' memory for ~1 M distinct host → address pairs.
#
#   bench/bench_egress.sh [BUILD_DIR] [MILLION_LINES]   (default build-rel, 2)
#
# Inputs (mamori-gen-net, deterministic): bench:N — the evaluation office
# (20 workstations, router, NAS, server, mail gateway) over as many days as
# N million lines take; wide:N — one month of an office with as many
# workstations as N million lines take (~1.3 M distinct pairs at 2).
# Rows: mamori with everything (decode, enrichment, every egress analyzer,
# the bundled Sigma rules, alerts to /dev/null, --no-db); mamori with the
# egress module off (decode + rules: the decoder's share); mawk printing four
# columns (what zeek-cut does); mawk summing bytes out per source (the
# simplest "analysis"); rg counting the resolver's address (the raw-scan limit).
# records/CPU-s = lines / (user + system time): on a shared machine it moves
# much less than records per elapsed second. Needs /usr/bin/time; mawk and rg
# rows are skipped when the tool is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build-rel}
mil=${2:-2}
bin=$build/mamori
gen=$build/tools/mamori-gen-net
[[ -x "$gen" ]] || gen=$here/../build/tools/mamori-gen-net
[[ -x "$bin" && -x "$gen" ]] || { echo "build first: $bin, $gen" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$gen" "$tmp/long" "bench:$mil"
"$gen" "$tmp/wide" "wide:$mil"
# the evaluation config, its indicator list by absolute path
cfg=$tmp/mamori.yaml
sed "s|\[ioc-ips.txt\]|[$tmp/long/ioc-ips.txt]|" "$here/../tests/integration/net/mamori.yaml" > "$cfg"
printf 'egress:\n  enabled: false\n' > "$tmp/off.yaml"

run() { # label lines file cmd...
  local label=$1 lines=$2 file=$3; shift 3
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" > "$tmp/out" 2> "$tmp/err" || {
    echo "$label: failed"; cat "$tmp/err"; return 1; }
  read -r el us sy rss < "$tmp/t"
  python3 - "$label" "$lines" "$(stat -c %s "$file")" "$el" "$us" "$sy" "$rss" <<'PY' | tee -a "$tmp/rows"
import sys
label, lines, size, el, us, sy, rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *map(float, sys.argv[4:])
cpu = us + sy
print(f"{label}|{lines}|{size/1048576:.0f}|{el:.2f}|{cpu:.2f}|{lines/max(el,1e-9)/1e6:.2f}|{lines/max(cpu,1e-9)/1e6:.2f}|{rss/1024:.0f}")
PY
}

for set in long wide; do
  f=$tmp/$set/conn.log
  lines=$(grep -vc '^#' "$f")
  : > "$tmp/rows"
  echo "== $set: $f, $lines records"
  run "mamori scan (egress + rules)" "$lines" "$f" "$bin" scan "$f" -c "$cfg" --no-db --tz UTC --no-progress
  cp "$tmp/err" "$tmp/summary-$set.txt"
  run "mamori scan (egress off)" "$lines" "$f" "$bin" scan "$f" -c "$tmp/off.yaml" --no-db --tz UTC --no-progress -q
  if command -v mawk > /dev/null; then
    run "mawk: 4 columns (zeek-cut)" "$lines" "$f" mawk -F'\t' '!/^#/ {print $3, $5, $6, $10}' "$f"
    run "mawk: bytes out per source" "$lines" "$f" mawk -F'\t' '!/^#/ {b[$3] += $10} END {for (k in b) print k, b[k]}' "$f"
  fi
  if command -v rg > /dev/null; then
    run "rg -c one address (raw scan)" "$lines" "$f" rg -c '203\.0\.113\.53' "$f" || true
  fi
  python3 - "$tmp/rows" <<'PY'
import sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1])]
base = float(rows[0][6])
print("| tool | records | MiB | s | CPU s | M rec/s | M rec/CPU-s | vs mamori (CPU) | peak RSS MiB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r[0]} | {int(r[1]):,} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {float(r[6])/base:.2f}x | {r[7]} |")
PY
  grep -E "^  egress|alerts  " "$tmp/summary-$set.txt" || true
done
python3 - "$tmp/summary-wide.txt" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
m = re.search(r"(\d+) destination pairs .* state ([\d.]+) MiB peak", s)
if m:
    pairs, mib = int(m.group(1)), float(m.group(2))
    print(f"memory: {pairs:,} distinct pairs -> {mib:.1f} MiB analyzer state at peak "
          f"({mib*1048576/pairs:.0f} bytes/pair, {mib*1e6/pairs:.1f} MiB per million pairs)")
PY
