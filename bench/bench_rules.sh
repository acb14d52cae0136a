#!/usr/bin/env bash
# mamori — rule-count scaling of the Sigma engine: the same access log scanned
# with 1 rule, the bundled web rules, SigmaHQ's web rules, and the whole SigmaHQ
# collection (3,780 rules). With the Hyperscan prefilter and logsource routing
# the cost should grow with the matches, not with the number of rules loaded.
#   MAMORI      mamori binary               (default: build/mamori)
#   GEN_ACCESS  mamori-gen-access generator (default: build/tools/mamori-gen-access)
#   RULES_MB    size of the log in MiB      (default: 200)
#   SIGMA       SigmaHQ checkout            (default: ../shared/data/external/sigma-full)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
MAMORI=${MAMORI:-$root/build/mamori}
GEN_ACCESS=${GEN_ACCESS:-$root/build/tools/mamori-gen-access}
RULES_MB=${RULES_MB:-200}
SIGMA=${SIGMA:-$root/../shared/data/external/sigma-full}
work=$here/work
mkdir -p "$work"
[ -x "$MAMORI" ] || { echo "no mamori at $MAMORI" >&2; exit 2; }
log=$work/rules-${RULES_MB}M.log
[ -s "$log" ] || "$GEN_ACCESS" "$RULES_MB" 7 > "$log"

run() { # run NAME ARGS… → prints one table row
	local name=$1; shift
	local sj=$work/rules-summary.json
	"$MAMORI" scan --format combined --no-db --no-progress -q --summary-json "$sj" "$@" "$log" > /dev/null
	python3 - "$sj" "$name" "$("$MAMORI" rules list "$@" 2>/dev/null | wc -l)" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
eps = s["events"] / s["seconds"] if s["seconds"] else 0
print(f'{sys.argv[2]:38s} {int(sys.argv[3]):6d} {s["events"]:9d} {s["alerts"]:7d} {s["seconds"]:7.2f} {eps/1e6:7.2f} {s["bytes"]/1e6/s["seconds"]:7.0f}')
with open(sys.argv[1] + ".eps", "a") as f:
    f.write(f"{sys.argv[2]}\t{eps}\n")
PY
}
rm -f "$work/rules-summary.json.eps"
printf '%-38s %6s %9s %7s %7s %7s %7s\n' "ruleset" "rules" "events" "alerts" "secs" "Mev/s" "MB/s"
run "1 rule (web_sqli_union_select)" --rules "$root/rules/web/web_sqli_union_select.yml"
run "bundled rules" 
if [ -d "$SIGMA/rules" ]; then
  run "SigmaHQ rules/web" --rules "$SIGMA/rules/web"
  run "SigmaHQ whole collection" --rules "$SIGMA/rules" --rules "$SIGMA/rules-emerging-threats" \
      --rules "$SIGMA/rules-threat-hunting" --rules "$SIGMA/rules-compliance"
else
  echo "(SigmaHQ rules not found at $SIGMA: skipped)"
fi
python3 - "$work/rules-summary.json.eps" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
base = float(rows[0][1])
print("\nslowdown vs 1 rule:")
for name, eps in rows:
    print(f"  {name:38s} {base/float(eps):5.2f}x")
PY
