#!/usr/bin/env bash
# Real Zeek logs and Argus flows (Stratosphere Linux IPS test captures, GPL-2.0:
# read in place from $MM_EXTERNAL, never copied): every conn.log and
# .binetflow decodes (records = events, at most the one garbled header line
# of test10 malformed), and the findings are printed with the analyzer's
# explanation. The vertical port scan of scanme.nmap.org (45.33.32.156) from
# 192.168.1.9 must show as outbound probes on Telnet, RDP and VNC.
set -euo pipefail
bin=${MM_BINARY:?}
ext=${MM_EXTERNAL:-${MM_SOURCE_DIR:?}/../shared/data/external}
d=$ext/StratosphereLinuxIPS/dataset
if [[ ! -d "$d" ]]; then
  echo "SKIP: $d is absent (third-party data, see ../shared/data/external/SOURCES.md)"
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
shopt -s nullglob
files=("$d"/*/conn.log "$d"/port-scans/*/conn.log "$d"/*.binetflow)
(( ${#files[@]} )) || { echo "SKIP: no conn.log or .binetflow under $d"; exit 77; }
fail=0
for f in "${files[@]}"; do
  name=${f#"$d"/}
  "$bin" scan "$f" --no-db --tz UTC --no-progress --summary-json "$tmp/s.json" > "$tmp/a.jsonl" 2>/dev/null
  python3 - "$f" "$tmp/s.json" "$tmp/a.jsonl" "$name" <<'PY' || fail=1
import json, sys
path, sj, aj, name = sys.argv[1:]
s = json.load(open(sj))
records = sum(1 for l in open(path, encoding="utf-8", errors="replace")
              if l.strip() and not l.startswith("#")
              and not l.startswith("StartTime,"))
alerts = [json.loads(l) for l in open(aj)]
print(f"== {name}: {records} records, {s['events']} events, {s['malformed']} malformed, "
      f"{len(alerts)} alerts")
for a in alerts:
    c = a.get("correlation", {})
    print("   ", a["rule"]["level"], a["rule"]["name"], "|", (c.get("explanation") or [""])[0])
ok = s["malformed"] <= 1 and s["events"] + s["malformed"] == records
if not ok:
    print(f"FAIL: {name}: events + malformed != records or more than one malformed line")
sys.exit(0 if ok else 1)
PY
  if [[ "$name" == port-scans/vertical/conn.log ]]; then
    for p in 23 3389 5900; do
      grep -q "\"destination\":{\"ip\":\"45.33.32.156\",\"port\":\"$p\"}" "$tmp/a.jsonl" || {
        echo "FAIL: no policy alert for the scan's probe of port $p"; fail=1; }
    done
  fi
done
exit $fail
