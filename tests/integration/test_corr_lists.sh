#!/usr/bin/env bash
# mamori — the evidence lists of a Sigma correlation alert end to end: an
# sshd brute force over 25 accounts (event_count) lists the first 20 accounts
# in its JSON line with accounts_total 25 and the failure/success counts; the
# store keeps all 25 and `mamori alerts show ID --list accounts|sources`
# prints them (src/detect/correlate.c, src/store/store.c, src/cli/cmd_alerts.c).
set -euo pipefail
bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/rules.yml" <<'YML'
title: sshd login attempt
id: 5b0c3c2e-0000-4000-8000-00000000a001
name: t_sshd_attempt
logsource:
    product: linux
    service: sshd
detection:
    s:
        event.outcome:
            - failure
            - success
    condition: s
level: low
---
title: sshd brute force over many accounts
id: 5b0c3c2e-0000-4000-8000-00000000a002
correlation:
    type: event_count
    rules:
        - t_sshd_attempt
    group-by:
        - source.ip
    timespan: 1h
    condition:
        gte: 30
level: high
YML
for i in $(seq 0 29); do
  u=$(printf 'user%02d' $((i % 25)))
  if [[ $i == 29 ]]; then
    printf 'Jan  5 10:%02d:00 host sshd[1]: Accepted password for %s from 198.51.100.7 port 4%04d ssh2\n' $((i)) "$u" "$i"
  else
    printf 'Jan  5 10:%02d:00 host sshd[1]: Failed password for invalid user %s from 198.51.100.7 port 4%04d ssh2\n' $((i)) "$u" "$i"
  fi
done > "$tmp/auth.log"
"$bin" scan "$tmp/auth.log" --rules "$tmp/rules.yml" --db "$tmp/m.db" --tz UTC --year 2026 \
  --no-progress > "$tmp/alerts.jsonl" 2>/dev/null
id=$(python3 - "$tmp/alerts.jsonl" <<'PY'
import json, sys
al = [json.loads(l) for l in open(sys.argv[1])]
al = [a for a in al if a["rule"]["id"].endswith("a002")]
assert len(al) == 1, "want one brute-force alert, got %d" % len(al)
c = al[0]["correlation"]
want = ["user%02d" % i for i in range(25)]
assert c["accounts"] == want[:20], c.get("accounts")
assert c["accounts_total"] == 25, c
assert c["sources"] == ["198.51.100.7"] and c["sources_total"] == 1, c
assert c["failures"] == 29 and c["successes"] == 1, c
assert c["count"] == 30 and c["approximate"] is False, c
print(al[0]["mamori"]["alert_id"])
PY
)
"$bin" alerts show "$id" --db "$tmp/m.db" --list accounts > "$tmp/accounts.txt"
seq 0 24 | xargs printf 'user%02d\n' | cmp - "$tmp/accounts.txt" ||
  { echo "FAIL: alerts show --list accounts"; cat "$tmp/accounts.txt"; exit 1; }
[[ $("$bin" alerts show "$id" --db "$tmp/m.db" --list sources) == "198.51.100.7" ]] ||
  { echo "FAIL: alerts show --list sources"; exit 1; }
"$bin" alerts show "$id" --db "$tmp/m.db" | grep -qx 'accounts (user.name): 25 kept of 25 distinct' ||
  { echo "FAIL: alerts show summary"; "$bin" alerts show "$id" --db "$tmp/m.db"; exit 1; }
echo "ok: correlation alert $id lists 20 of 25 accounts; the store has all 25"
