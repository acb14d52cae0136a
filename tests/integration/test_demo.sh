#!/usr/bin/env bash
# Integration: `mamori scan` of the bundled demo data finds exactly the attacks
# listed in data/demo/expected-alerts.txt and data/demo/*/expected-alerts.txt
# (the areas' own generated sets; file line rule-id), no alert on the
# benign traffic, the same alerts land in SQLite, and a second scan adds none.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$src"
[[ -f data/demo/expected-alerts.txt ]] || { echo "data/demo/expected-alerts.txt missing"; exit 1; }

"$bin" scan data/demo --glob '*.log*' --db "$tmp/m.db" --tz UTC --no-progress \
  -c data/demo/mamori.yaml --summary-json "$tmp/s1.json" > "$tmp/a1.jsonl" 2> "$tmp/summary1.txt"
cat "$tmp/summary1.txt"

python3 - "$tmp/a1.jsonl" > "$tmp/got.txt" <<'PY'
import json, os, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    rows.append(f'{os.path.basename(a["evidence"]["file"])} {a["evidence"]["line"]} {a["rule"]["id"]}')
print("\n".join(sorted(rows)))
PY
shopt -s nullglob; expected=(data/demo/expected-alerts.txt data/demo/*/expected-alerts.txt); shopt -u nullglob
cat "${expected[@]}" | grep -v '^#' | sed '/^$/d' | sort > "$tmp/want.txt"
if ! diff -u "$tmp/want.txt" "$tmp/got.txt"; then
  echo "FAIL: demo alerts differ from data/demo/expected-alerts.txt (- expected, + got)"; exit 1
fi
n=$(wc -l < "$tmp/want.txt")
stored=$(sqlite3 "$tmp/m.db" 'select count(*) from alerts')
[[ "$stored" == "$n" ]] || { echo "FAIL: $stored alerts stored, $n expected"; exit 1; }

# second scan: same alerts on stdout, none new in the store
"$bin" scan data/demo --glob '*.log*' --db "$tmp/m.db" --tz UTC --no-progress \
  -c data/demo/mamori.yaml --summary-json "$tmp/s2.json" > "$tmp/a2.jsonl" 2>/dev/null
cmp "$tmp/a1.jsonl" "$tmp/a2.jsonl" || { echo "FAIL: output not deterministic"; exit 1; }
python3 - "$tmp/s2.json" "$n" "$tmp/s1.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["alerts_new"] == 0, s
assert s["alerts_dup"] == int(sys.argv[2]), s
assert s["malformed"] == 0, s
# the detector's counters: present, and the same from run to run (the value
# cache is not keyed by addresses); every logsource route compiled once
d1, d2 = json.load(open(sys.argv[3]))["detect"], s["detect"]
for k in ("prefilter_scans", "rules_evaluated", "routes_built", "prefilter_compiles"):
    assert d1[k] == d2[k], (k, d1, d2)
assert d2["routes_built"] >= 3 and d2["prefilter_compiles"] >= 1, d2
assert d2["prefilter_compile_seconds"] >= 0, d2
PY
stored2=$(sqlite3 "$tmp/m.db" 'select count(*) from alerts')
[[ "$stored2" == "$n" ]] || { echo "FAIL: rescan changed the store ($stored2)"; exit 1; }
echo "demo: $n alerts as expected; rescan added none"
