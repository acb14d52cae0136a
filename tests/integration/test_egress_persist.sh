#!/usr/bin/env bash
# Learned state across runs (issue 4 acceptance): scan a benign month
# (mamori-gen-net learn) into a store, then a second month whose cases start
# on its second day (mamori-gen-net detect) with the same --db: every case is
# found, because the destinations, admin sources and volume baselines came
# from the first run. The same second month scanned with a fresh store misses
# the cases that need history (the first contacts fall in the learning period
# and the exfiltration has no baseline yet), which shows the store is what
# carries them.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}; gen=${MM_GEN_NET:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cfg="$src/tests/integration/net/mamori.yaml"
"$gen" "$tmp/oct" learn
"$gen" "$tmp/nov" detect
(cd "$tmp/oct" && "$bin" scan conn.log fw.log devices.log -c "$cfg" --db "$tmp/m.db" --tz UTC \
  --no-progress -q > "$tmp/oct.jsonl")
python3 "$src/bench/egress_score.py" "$tmp/oct/ground-truth.txt" "$tmp/oct.jsonl" --check
sqlite3 "$tmp/m.db" "select 'learned: ' || (select count(*) from net_hosts) || ' hosts, ' ||
  (select count(*) from net_seen) || ' destinations, ' || (select count(*) from net_volume) ||
  ' volume baselines, ' || (select count(*) from net_admin) || ' admin sources'"
cd "$tmp/nov"
echo "== month 2 with the month-1 store"
"$bin" scan conn.log fw.log devices.log -c "$cfg" --db "$tmp/m.db" --tz UTC --no-progress -q \
  > "$tmp/nov.jsonl"
python3 "$src/bench/egress_score.py" ground-truth.txt "$tmp/nov.jsonl" --check
echo "== month 2 with a fresh store (no history)"
"$bin" scan conn.log fw.log devices.log -c "$cfg" --db "$tmp/fresh.db" --tz UTC --no-progress -q \
  > "$tmp/fresh.jsonl"
python3 "$src/bench/egress_score.py" ground-truth.txt "$tmp/fresh.jsonl" \
  --expect-missing newdest exfil
echo "egress persistence: ok"
