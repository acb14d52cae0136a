#!/usr/bin/env bash
# The network demo data (data/demo/net/) is reproducible: mamori-gen-net in
# demo mode writes the committed files byte for byte, and its ground truth is
# what the demo scan finds (every case, nothing else; test_demo.sh checks the
# exact alert lines of expected-alerts.txt).
set -euo pipefail
src=${MM_SOURCE_DIR:?}; gen=${MM_GEN_NET:?}; bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$gen" "$tmp/net" demo
for f in conn.log fw.log devices.log ioc-ips.txt ground-truth.txt README.md; do
  cmp "$tmp/net/$f" "$src/data/demo/net/$f" || { echo "FAIL: data/demo/net/$f differs from the generator's output"; exit 1; }
done
cd "$src"
"$bin" scan data/demo/net --glob '*.log' -c data/demo/mamori.yaml --tz UTC --no-db --no-progress -q \
  > "$tmp/a.jsonl"
python3 bench/egress_score.py data/demo/net/ground-truth.txt "$tmp/a.jsonl" --check
echo "network demo data reproduced byte for byte; every case found"
