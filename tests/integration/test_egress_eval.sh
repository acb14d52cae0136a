#!/usr/bin/env bash
# Egress evaluation (issue 4): mamori-gen-net's office month with embedded
# cases (router beaconing, NAS exfiltration over 3 nights, a server's first
# contact on an odd port, an IoC hit, the router's log going silent, an admin
# login from outside the admin network). bench/egress_score.py prints
# precision/recall per case and fails unless every case is found and no
# alert is unattributed: NTP to the configured servers, DNS to the configured
# resolvers and the hourly update checks to the allowlisted CDN stay quiet.
# Then: without the allowlist the update checks *are* flagged as beaconing
# (the allowlist is what keeps them quiet, so the quiet check can fail), the
# generator is deterministic, and a re-scan with the same --db is idempotent.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}; gen=${MM_GEN_NET:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$gen" "$tmp/m" month
cd "$tmp/m"
"$bin" scan conn.log fw.log devices.log -c "$src/tests/integration/net/mamori.yaml" \
  --db "$tmp/m.db" --tz UTC --no-progress --summary-json "$tmp/s1.json" > "$tmp/a1.jsonl" \
  2> "$tmp/summary.txt"
grep -E "egress|events" "$tmp/summary.txt"
python3 "$src/bench/egress_score.py" ground-truth.txt "$tmp/a1.jsonl" --check
# the run summary (also stored with the run) carries the module's figures
python3 - "$tmp/s1.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["egress"]
assert e["flows"] > 150000 and e["cap_hits"] == 0 and not e["store_error"], e
assert e["learned_pairs_saved"] == e["pairs"] and e["alerts"] == 9, e
PY

echo "== without the CDN allowlist: the hourly update checks look periodic"
grep -v '^  allow:' "$src/tests/integration/net/mamori.yaml" > "$tmp/noallow.yaml"
"$bin" scan conn.log -c "$tmp/noallow.yaml" --no-db --tz UTC --no-progress -q > "$tmp/na.jsonl"
python3 - "$tmp/na.jsonl" <<'PY'
import json, sys
b = [a for a in map(json.loads, open(sys.argv[1])) if a["correlation"]["type"] == "egress_beaconing"
     and a["destination"]["ip"].startswith("198.51.100.")]
print(f"{len(b)} beaconing alerts to the CDN without the allowlist")
assert b, "expected the update checks to be flagged without the allowlist"
PY

echo "== deterministic generator and idempotent re-scan"
"$gen" "$tmp/m2" month
cmp conn.log "$tmp/m2/conn.log" && cmp fw.log "$tmp/m2/fw.log" && cmp devices.log "$tmp/m2/devices.log"
"$bin" scan conn.log fw.log devices.log -c "$src/tests/integration/net/mamori.yaml" \
  --db "$tmp/m.db" --tz UTC --no-progress -q > "$tmp/a2.jsonl"
cmp "$tmp/a1.jsonl" "$tmp/a2.jsonl" || { echo "FAIL: re-scan with the same --db differs"; exit 1; }
echo "egress eval: ok"
