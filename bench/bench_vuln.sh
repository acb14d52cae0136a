#!/usr/bin/env bash
# mamori — `mamori vuln` benchmark: a generated dpkg status with 3,000
# packages against 50,000 generated Debian OSV advisories (deterministic).
# Run 1 indexes; run 2 (index unchanged) measures matching alone.
# usage: bench/bench_vuln.sh [path/to/mamori]
set -euo pipefail
M=${1:-build/mamori}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
python3 - "$T" <<'PY'
import json, random, sys
t = sys.argv[1]; r = random.Random(42)
names = ["pkg%05d" % i for i in range(12000)]
with open(t + "/status", "w") as f:
    for n in names[:3000]:
        f.write("Package: %s\nStatus: install ok installed\nVersion: %d.%d-%d\n\n"
                % (n, r.randint(0, 5), r.randint(0, 20), r.randint(1, 5)))
advs = []
for i in range(50000):
    n = r.choice(names)
    advs.append({"id": "DSA-%05d-1" % i, "aliases": ["CVE-2099-%05d" % i],
                 "modified": "2024-01-01T00:00:00Z",
                 "affected": [{"package": {"ecosystem": "Debian:12", "name": n},
                               "ranges": [{"type": "ECOSYSTEM", "events": [
                                   {"introduced": "0"},
                                   {"fixed": "%d.%d-1" % (r.randint(0, 5), r.randint(0, 20))}]}]}]})
with open(t + "/advisories.json", "w") as f:
    json.dump(advs, f)
PY
"$M" vuln --db "$T/b.db" -i "$T/status" -a "$T/advisories.json" > /dev/null
"$M" vuln --db "$T/b.db" -i "$T/status" -a "$T/advisories.json" > /dev/null
