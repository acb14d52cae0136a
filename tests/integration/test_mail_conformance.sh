#!/usr/bin/env bash
# Conformance of the Postfix decoder with real Postfix lines from peer tools'
# test files, read in place from $MM_EXTERNAL (skipped when absent):
#  - postfix-grok-patterns (BSD-3-Clause) test/*.yaml: each `data:` message,
#    wrapped in a syslog header for its program, must decode with the fields
#    the grok results name (queue ID, client IP and port, status, reply code,
#    enhanced code, reject reason, SMTP response, from/to);
#  - fail2ban (GPL-2.0-or-later) tests/files/logs/postfix, exim, exim-spam:
#    every line decodes (syslog / Exim mainlog), and every line fail2ban
#    counts as an offender has that offender's IP in source.ip (Exim's
#    "SMTP protocol error" lines carry a client-faked "H=(x) [ip]" first);
# with no malformed line.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
ext=${MM_EXTERNAL:-$src/../shared/data/external}
grok=$ext/postfix-grok-patterns/test
f2b=$ext/fail2ban/fail2ban/tests/files/logs/postfix
if [[ ! -d "$grok" || ! -f "$f2b" ]]; then
  echo "SKIP: external test data not found under $ext (postfix-grok-patterns, fail2ban)"; exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 - "$grok" "$tmp/grok.log" "$tmp/grok.want" <<'PY'
import glob, json, os, sys, yaml
prog_of = {"tls_features": "smtpd", "command_counter_data": "smtpd", "delays": "smtp",
           "keyvalue": "smtpd"}
out = open(sys.argv[2], "w"); want = open(sys.argv[3], "w")
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.yaml"))):
    d = yaml.safe_load(open(f))
    name = os.path.basename(f).rsplit("_", 1)[0]
    prog = prog_of.get(name, name)
    data = str(d["data"]).rstrip().replace("\r", " ").replace("\n", " ")  # syslog lines are single lines
    out.write(f"Nov 26 10:00:00 mx1 postfix/{prog}[123]: {data}\n")
    want.write(json.dumps({"file": os.path.basename(f), "results": d.get("results") or {}}) + "\n")
PY
"$bin" scan "$tmp/grok.log" --no-db --format syslog --tz UTC --no-progress \
  --events "$tmp/grok.events" --summary-json "$tmp/s1.json" > /dev/null 2>&1
grep -v '^#' "$f2b" | sed '/^$/d' > "$tmp/f2b.log"
"$bin" scan "$tmp/f2b.log" --no-db --format syslog --tz UTC --no-progress --year 2005 \
  --events "$tmp/f2b.events" --summary-json "$tmp/s2.json" > /dev/null 2>&1
python3 - "$tmp/grok.events" "$tmp/grok.want" "$tmp/s1.json" "$f2b" "$tmp/f2b.events" "$tmp/s2.json" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
want = [json.loads(l) for l in open(sys.argv[2])]
s = json.load(open(sys.argv[3]))
assert s["malformed"] == 0, s["malformed_by_reason"]
def get(e, path):
    for k in path.split("."):
        if not isinstance(e, dict) or k not in e:
            return None
        e = e[k]
    return e
# grok result key -> mamori field
mapping = {"postfix_queueid": "email.local_id", "postfix_client_ip": "source.ip",
           "postfix_client_port": "source.port", "postfix_status": "email.delivery.status",
           "postfix_status_code": "event.code", "postfix_status_code_enhanced": "email.delivery.dsn",
           "postfix_status_message": "event.reason", "postfix_smtp_response": "email.delivery.response",
           "postfix_from": "email.from.address", "postfix_to": "email.to.address",
           "postfix_sasl_username": "user.name", "postfix_sasl_method": "email.auth.method",
           "postfix_message-id": "email.message_id"}
# the message events the drain adds at the end (pending messages) are not lines
lines = [e for e in ev if get(e, "event.action") != "message" or "message" in e]
assert len(lines) == len(want), (len(lines), len(want))
checked = bad = 0
for e, w in zip(lines, want):
    for k, field in mapping.items():
        if k not in w["results"]:
            continue
        exp = str(w["results"][k])
        if k == "postfix_queueid" and exp == "NOQUEUE":
            continue
        got = get(e, field)
        if exp == "" and got is None:
            continue  # from=<> / message-id=<>: empty, left absent
        checked += 1
        if str(got) != exp:
            bad += 1
            print(f"MISMATCH {w['file']}: {k}={exp!r} but {field}={got!r}")
print(f"postfix-grok-patterns: {len(want)} messages, {checked} expected fields checked, {bad} mismatches")
assert bad == 0
# fail2ban: offenders' IPs
s2 = json.load(open(sys.argv[6]))
assert s2["malformed"] == 0, s2["malformed_by_reason"]
ev2 = [json.loads(l) for l in open(sys.argv[5])]
exp = []
lines = open(sys.argv[4], encoding="utf-8").read().splitlines()
for i, l in enumerate(lines):
    if l.startswith("# failJSON:"):
        j = json.loads(l.split(":", 1)[1])
        k = i + 1
        while k < len(lines) and (not lines[k] or lines[k].startswith("#")):
            k += 1
        exp.append((j, lines[k] if k < len(lines) else ""))
by_msg = {}
for e in ev2:
    if "message" in e:
        by_msg.setdefault(e["message"], e)
miss = 0
n = 0
for j, line in exp:
    if not j.get("match") or "host" not in j:
        continue
    msg = line.split(": ", 1)[1] if ": " in line else line
    e = next((x for m, x in by_msg.items() if line.endswith(m)), None)
    n += 1
    if not e or get(e, "source.ip") != j["host"]:
        miss += 1
        print("NO SOURCE IP:", line[:140], "->", e and get(e, "source.ip"))
print(f"fail2ban postfix: {len(ev2)} events, {n} offender lines, {miss} without the offender's IP")
assert miss == 0
PY
for f in exim exim-spam; do
  grep -v '^#' "$ext/fail2ban/fail2ban/tests/files/logs/$f" | sed '/^$/d' > "$tmp/$f.log"
  "$bin" scan "$tmp/$f.log" --no-db --format exim --tz UTC --no-progress \
    --events "$tmp/$f.events" --summary-json "$tmp/$f.json" > /dev/null 2>&1
  python3 - "$ext/fail2ban/fail2ban/tests/files/logs/$f" "$tmp/$f.events" "$tmp/$f.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[3]))
assert s["malformed"] == 0, s["malformed_by_reason"]
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
ev = [json.loads(l) for l in open(sys.argv[2])]
n = miss = 0
for i, l in enumerate(lines):
    if not l.startswith("# failJSON:"):
        continue
    j = json.loads(l.split(":", 1)[1])
    k = i + 1
    while k < len(lines) and (not lines[k] or lines[k].startswith("#")):
        k += 1
    if k >= len(lines) or not j.get("match") or "host" not in j:
        continue
    n += 1
    e = [x for x in ev if "message" in x and lines[k].endswith(x["message"])]
    ip = e[0].get("source", {}).get("ip") if e else None
    if ip != j["host"]:
        miss += 1
        print("NO SOURCE IP:", lines[k][:140], "->", ip)
print(f"fail2ban {sys.argv[1].rsplit('/', 1)[1]}: {len(ev)} events, {n} offender lines, {miss} without the offender's IP")
assert miss == 0
PY
done
echo "mail conformance: ok"
