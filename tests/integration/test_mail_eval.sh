#!/usr/bin/env bash
# Mail evaluation: mamori-gen-mail's three days of a Postfix gateway's log with
# an open-relay window (one client after a SASL failure streak), the gateway's
# IP then listed by providers, a breached web server mass-mailing customers, a
# compromised account's burst, a harvested-list mailing with bounces, SASL
# brute force and relay probing inside benign traffic (employees, inbound
# mail, order confirmations, a configured bulk newsletter). Prints precision
# and recall per expected incident and requires every incident found with its
# accounts/IPs, counts and external domains, no false alert, the bulk sender
# quiet (and loud once it is not configured), no malformed line, and the
# generator deterministic.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}; gen=${MM_GEN_MAIL:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$gen" "$tmp/a" >/dev/null
"$gen" "$tmp/b" >/dev/null
cmp "$tmp/a/maillog.log" "$tmp/b/maillog.log" || { echo "FAIL: generator not deterministic"; exit 1; }
# the demo's maillog is this generator's --demo output, byte for byte
"$gen" "$tmp/demo" --demo >/dev/null
cmp "$tmp/demo/maillog.log" "$src/data/demo/mail/maillog.log" \
  || { echo "FAIL: data/demo/mail/maillog.log differs from mamori-gen-mail --demo"; exit 1; }
cmp "$tmp/demo/ground-truth.txt" "$src/data/demo/mail/ground-truth.txt" \
  || { echo "FAIL: data/demo/mail/ground-truth.txt differs from mamori-gen-mail --demo"; exit 1; }
cat > "$tmp/m.yaml" <<'YAML'
mail:
  own_domains: [example.co.jp, shop.example.jp]
  bulk_senders: [newsletter@shop.example.jp]
YAML
"$bin" scan "$tmp/a/maillog.log" --no-db --format syslog -c "$tmp/m.yaml" --no-progress \
  --summary-json "$tmp/s.json" > "$tmp/al.jsonl" 2> "$tmp/err.txt"
cat "$tmp/err.txt"
python3 - "$tmp/al.jsonl" "$tmp/a/ground-truth.txt" "$tmp/s.json" <<'PY'
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
truth = set()
for l in open(sys.argv[2]):
    if l.strip() and not l.startswith("#"):
        r, g = l.split()
        truth.add((r, g))
s = json.load(open(sys.argv[3]))
assert s["malformed"] == 0, s["malformed_by_reason"]
names = {
    "7e3d0a52-1c55-4f3e-8d8e-5b0f3a9c2e02": "mail_sasl_brute_force",
    "7e3d0a52-1c55-4f3e-8d8e-5b0f3a9c2e04": "mail_relay_probing",
}
def rule_name(a):
    ref = a["rule"].get("reference", "")
    if ref.startswith("analyzer:mail/"):
        return ref.split("/", 1)[1]
    return names.get(a["rule"]["id"], a["rule"]["id"])
def group(a):
    for k in ("user", "source", "host"):
        if k in a:
            v = a[k]
            return v.get("name") or v.get("ip") or v.get("hostname")
    return None
tp = fp = 0
found = set()
by = {}
for a in alerts:
    key = (rule_name(a), group(a))
    if key in truth:
        tp += 1
        found.add(key)
        by.setdefault(key, []).append(a)
    else:
        fp += 1
        print("FALSE ALERT:", key, a["correlation"].get("window"))
precision = tp / (tp + fp) if tp + fp else 0.0
recall = len(found) / len(truth)
print(f"mail eval: {len(alerts)} alerts, {tp} true, {fp} false; incidents {len(found)}/{len(truth)}; "
      f"precision {precision:.3f} recall {recall:.3f}")
for k in sorted(truth - found):
    print("MISSED:", k)
for k in sorted(by):
    c = by[k][0]["correlation"]
    print(f"  {k[0]:34} {k[1]:28} count={c['count']} domains={c.get('distinct_count')} "
          f"window={c['window']['start']}..{c['window']['end']} "
          f"external_domains={c.get('external_domains', [])[:5]}")
assert recall == 1.0 and precision == 1.0
# the relay window: each client with its count, external domains, senders, messages
for ip, n in (("45.155.205.10", 300), ("45.155.205.11", 220), ("185.220.101.7", 140)):
    r = [a for a in alerts if a.get("source", {}).get("ip") == ip][0]
    c = r["correlation"]
    assert c["count"] >= n, (ip, c["count"])
    assert c["distinct_count"] == 10 and "gmail.com" in c["values"], c
    assert c["senders_total"] >= 10 and c["messages_total"] >= n // 3, c
    assert r["correlation"]["window"]["start"].startswith("2026-11-25T17:0"), r
sasl = by[("mail_relay_after_sasl_failures", "45.155.205.10")][0]["correlation"]
assert sasl["failures"] == 30, sasl   # the SASL failure streak before the relay
mass = by[("mail_quiet_sender_mass_mailing", "10.0.5.20")][0]["correlation"]
assert mass["count"] >= 1200 and mass["distinct_count"] >= 20, mass
assert "info@shop.example.jp" in mass["senders"], mass
assert mass["message_ids_total"] >= 1200 and mass["messages_total"] >= 1200, mass  # to find the messages
burst = by[("mail_sender_burst", "sales@example.co.jp")][0]["correlation"]
assert burst["count"] == 800 and "91.240.118.9" in burst["clients"], burst
assert not any("newsletter" in json.dumps(a) for a in alerts), "bulk sender alerted"
PY
# without the bulk-sender entry the newsletter is a burst (the config is what keeps it quiet)
cat > "$tmp/m2.yaml" <<'YAML'
mail:
  own_domains: [example.co.jp, shop.example.jp]
YAML
"$bin" scan "$tmp/a/maillog.log" --no-db --format syslog -c "$tmp/m2.yaml" --no-progress \
  > "$tmp/al2.jsonl" 2>/dev/null
grep -q '"name":"newsletter@shop.example.jp"' "$tmp/al2.jsonl" \
  || { echo "FAIL: unconfigured newsletter did not alert (test would be vacuous)"; exit 1; }
echo "mail eval: ok"
