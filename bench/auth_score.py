#!/usr/bin/env python3
"""Score mamori's alerts on the mamori-gen-auth data set against its ground truth.

usage: auth_score.py GROUND_TRUTH.json ALERTS.jsonl STORE.db [--check]

Per campaign type: recall (was the campaign detected; for the distributed
campaign also the share of its attacker addresses and compromised accounts
named by the alerts, read from the store's full lists, not the capped JSON),
alert precision (alerts of the type's rules that belong to a campaign), and
per benign population the alerts naming one of its addresses. With --check
the exit status is 1 unless every campaign is detected, every stuffing source
and compromised account is named, and no alert names a benign address.

The access log (no account names) is judged by what it can show
(docs/internals/CREDSTUFF.md "Without account names"): every stuffing source
that never got in must be in a campaign alert's `sources`, every one that got
in in its `succeeded_after_failures`; a benign address may be in `sources`
only when the log cannot tell it from a stuffing source: it only ever failed
(at least twice), and all of that inside the campaign's span. Those are
counted and printed ("indistinguishable"), any other benign address fails.
--access-only scores only access.log (the per-seed check).
Used by tests/integration/test_auth_eval.sh and bench/bench_auth.sh.
"""
import json
import os
import re
import sqlite3
import sys

CLF = re.compile(r'^(\S+) \S+ \S+ \[(\d+)/(\w+)/(\d+):(\d+):(\d+):(\d+) [^\]]*\] "POST /login[ ?"]'
                 r'[^"]*" (\d+)')
MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


def access_attempts(path):
    """source -> [(iso time to the second, failed)] of the login POSTs."""
    out = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        m = CLF.match(line)
        if not m:
            continue
        d, mon, y, hh, mm, ss, st = m.group(2, 3, 4, 5, 6, 7, 8)
        t = f"{y}-{MONTHS[mon]:02d}-{int(d):02d}T{hh}:{mm}:{ss}"
        out.setdefault(m.group(1), []).append((t, st in ("401", "403")))
    return out

APP_BF = "65523f9f-6dbe-4918-a55a-f5b935d85549"
WEB_BF = "f8ec21d7-4f60-4b03-bcb8-612b7a1c0f28"
APP_SPRAY = "b98c8b25-c4fb-45e2-a43b-7009f2c46e18"
APP_AFTER = "1ccdb328-6876-4cd7-be84-a1dc12436f7c"
APP_FROM_SPRAYER = "2f0ca9ff-9a93-424d-9c72-8548e8053bd3"
WEB_AFTER_BF = "d452de93-b72e-4c8b-ac69-717566900dec"
STUFF = "5b0c8f0e-3c4e-4a8e-9a51-3d7f2f1c6a01"
STUFF_OK = "5b0c8f0e-3c4e-4a8e-9a51-3d7f2f1c6a02"
SSH_BF = "3086dff5-1ed4-4dc1-9c74-65f680b5fe34"
SSH_SPRAY = "06aad69c-9e03-45bc-b334-682267b4338d"
SSH_STORM = "8e62c336-cacf-4cb7-b1be-539b07d5953e"

# campaign type -> the rules whose alerts detect it
TYPE_RULES = {
    "brute_force": {APP_BF, WEB_BF},
    "spraying": {APP_SPRAY},
    "credential_stuffing": {STUFF},
    "success_after_failures": {APP_AFTER},
    "ssh_brute_force": {SSH_BF},
    "ssh_spraying": {SSH_SPRAY},
    "ssh_invalid_user_storm": {SSH_STORM},
}
# rules that name a compromised account
TAKEOVER_RULES = {APP_AFTER, APP_FROM_SPRAYER, STUFF_OK}


def user_of(a):
    u = a.get("user", {}).get("name")
    if u:
        return u
    raw = a.get("evidence", {}).get("raw", "")
    try:
        return json.loads(raw).get("user", {}).get("name")
    except (ValueError, AttributeError):
        return None


def score_access(c, named, okd, acc_path):
    """The access-log lists against what the log can show; True when they pass."""
    att = access_attempts(acc_path)
    ips = set(c["attacker_ips"])
    span = (c["start"][:19], c["end"][:19])
    got_in = {ip for ip in ips if any(not f for _, f in att.get(ip, []))}
    never = ips - got_in
    benign = named - ips

    def indistinguishable(ip):
        a = att.get(ip, [])
        return (len(a) >= 2 and all(f for _, f in a)
                and all(span[0] <= t <= span[1] for t, _ in a))

    odd = {ip for ip in benign if not indistinguishable(ip)}
    same = benign - odd
    pool = {ip for ip in att if ip not in ips and indistinguishable(ip)}
    tp = len(named & ips)
    print(f"    sources: precision {tp / len(named) if named else 0:6.1%} ({tp}/{len(named)}),"
          f" recall {tp / len(ips):6.1%} ({tp}/{len(ips)}); of the {len(never)} that never got"
          f" in: {len(named & never)}")
    # a bot whose leaked password worked at its first or second try has at
    # most one failure before the success: in a log without account names
    # that is exactly a user's typo, so only the ones with >= 2 failures
    # before getting in are required in succeeded_after_failures
    def fails_before_success(ip):
        n = 0
        for _, f in sorted(att.get(ip, [])):
            if not f:
                return n
            n += 1
        return n
    need = {ip for ip in got_in if fails_before_success(ip) >= 2}
    print(f"    succeeded_after_failures: {len(okd & got_in)}/{len(got_in)} stuffing sources that"
          f" got in ({len(okd & need)}/{len(need)} of those with >= 2 failures first; the rest"
          f" look like a typo), among {len(okd)} listed (also users who mistyped, then got in)")
    print(f"    benign addresses in sources: {len(benign)} — indistinguishable (only failures,"
          f" all inside the campaign's span): {len(same)} of {len(pool)} such in the log"
          + (f" {sorted(same)}" if same else "") + f"; any other: {len(odd)}"
          + (f" {sorted(odd)}" if odd else ""))
    if not okd >= need:
        print(f"    MISSING from succeeded_after_failures although >= 2 failures came first:"
              f" {sorted(need - okd)}")
    global ACCESS_DETECTED
    ACCESS_DETECTED = ACCESS_DETECTED or bool(named & ips)
    strict = named >= never and not odd and okd >= need
    print(f"    source lists exact to what the log can show: {'yes' if strict else 'NO'}")
    return strict


ACCESS_DETECTED = False


def main():
    gt = json.load(open(sys.argv[1]))
    alerts = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
    db = sqlite3.connect(sys.argv[3])
    check = "--check" in sys.argv
    access_only = "--access-only" in sys.argv
    lists = {}
    for aid, lst, val in db.execute("SELECT alert_id, list, value FROM alert_list_values"):
        lists.setdefault(aid, {}).setdefault(lst, set()).add(val)
    camps = gt["campaigns"]
    attacker = {}
    for c in camps:
        for ip in c["attacker_ips"]:
            attacker[ip] = c
    ok = True
    rows = []
    for t, rules in TYPE_RULES.items():
        cs = [c for c in camps if c["type"] == t]
        mine = [a for a in alerts if a["rule"]["id"] in rules]
        tp = 0
        detected = set()
        for a in mine:
            ip = a.get("source", {}).get("ip")
            if t == "credential_stuffing":
                srcs = lists.get(a["mamori"]["alert_id"], {}).get("sources", set())
                hit = [s for s in srcs if attacker.get(s, {}).get("type") == t]
                if srcs and len(hit) * 2 > len(srcs):
                    tp += 1
                    detected.add(attacker[hit[0]]["id"])
            elif t == "ssh_invalid_user_storm":
                w = a["correlation"]["window"]
                for c in cs:
                    if w["start"] <= c["end"] and w["end"] >= c["start"]:
                        tp += 1
                        detected.add(c["id"])
                        break
            elif ip in attacker:
                tp += 1
                if attacker[ip]["type"] == t:
                    detected.add(attacker[ip]["id"])
        recall = len([c for c in cs if c["id"] in detected]) / len(cs) if cs else 1.0
        prec = tp / len(mine) if mine else 1.0
        rows.append((t, len(cs), len(detected), recall, len(mine), prec))
        if recall < 1.0 and not access_only:
            ok = False
    if not access_only:
        print("campaign type            campaigns detected  recall  alerts  precision")
        for t, n, d, r, na, p in rows:
            print(f"{t:24} {n:9} {d:8} {r:7.0%} {na:7} {p:10.0%}")
    elif not [r for r in rows if r[0] == "credential_stuffing" and r[2] == r[1]]:
        print("credential_stuffing campaign NOT detected")
        ok = False

    # the distributed campaign, address by address, per log
    print(("" if access_only else "\n") +
          "distributed credential stuffing: sources and accounts named (full store lists)")
    acc_path = os.path.join(os.path.dirname(sys.argv[1]), "access.log")
    for c in [c for c in camps if c["type"] == "credential_stuffing"]:
        ips = set(c["attacker_ips"])
        for log in c["logs"].split():
            if access_only and log != "access.log":
                continue
            named, comp, okd = set(), set(), set()
            for a in alerts:
                if not a["evidence"]["file"].endswith(log):
                    continue
                if a["rule"]["id"] == STUFF:
                    l = lists.get(a["mamori"]["alert_id"], {})
                    named |= l.get("sources", set())
                    comp |= l.get("compromised_accounts", set())
                    okd |= l.get("succeeded_after_failures", set())
                elif a["rule"]["id"] == STUFF_OK:
                    comp.add(user_of(a))
            tp = len(named & ips)
            sp = tp / len(named) if named else 0.0
            sr = tp / len(ips)
            want = set(c["compromised_accounts"])
            cr = len(comp & want) / len(want) if want else 1.0
            cp = len(comp & want) / len(comp) if comp else 1.0
            if not log.endswith(".jsonl"):
                print(f"  {log}: no account names")
                ok = score_access(c, named, okd, acc_path) and ok
                continue
            print(f"  {log:15} sources: recall {sr:6.1%} ({tp}/{len(ips)}), precision {sp:6.1%}"
                  f" ({len(named)} named);"
                  f" compromised accounts: recall {cr:6.1%}, precision {cp:6.1%}"
                  + ("" if log.endswith(".jsonl") else " (access log: no account names)"))
            # with account names every source must be named; in an access log a
            # stuffing source that also got in (2 failures, 1 success) looks like a
            # user who mistyped twice, and is not named (docs/internals/CREDSTUFF.md)
            if sr < 1.0 or sp < 1.0 or cr < 1.0:
                ok = False

    if access_only:
        bad = [a for a in alerts
               if any((a.get("source", {}).get("ip") or "").startswith(p["ip_prefix"])
                      for p in gt["benign_populations"])]
        print(f"  alerts about a benign address: {len(bad)}")
        # the campaign is detected, its lists are exact to what the log can
        # show (score_access), and no alert is about a benign address
        ok = ok and ACCESS_DETECTED and not bad
        if check:
            print("RESULT:", "PASS" if ok else "FAIL")
            return 0 if ok else 1
        return 0

    # takeovers
    print("\ncompromised accounts named by takeover rules (success after failures, success"
          " from a spraying/stuffing source):")
    named = {user_of(a) for a in alerts if a["rule"]["id"] in TAKEOVER_RULES}
    named.discard(None)
    for c in camps:
        want = set(c["compromised_accounts"])
        if not want or c["type"].startswith("ssh"):
            continue
        got = want & named
        if c["type"] == "credential_stuffing":
            for a in alerts:
                if a["rule"]["id"] == STUFF:
                    got |= want & lists.get(a["mamori"]["alert_id"], {}).get(
                        "compromised_accounts", set())
        print(f"  {c['id']:28} {len(got)}/{len(want)}")
        if got != want:
            ok = False
    wrong = named - {u for c in camps for u in c["compromised_accounts"]}
    print(f"  accounts named that were not compromised: {len(wrong)} {sorted(wrong)[:5]}")
    if wrong:
        ok = False

    # benign populations: alerts whose source (or listed sources) are benign
    print("\nbenign populations: alerts naming one of their addresses")
    for p in gt["benign_populations"]:
        pre = p["ip_prefix"]
        n_alert = sum(1 for a in alerts if (a.get("source", {}).get("ip") or "").startswith(pre))
        n_listed = 0
        for a in alerts:
            if a["rule"]["id"] == STUFF:
                srcs = lists.get(a["mamori"]["alert_id"], {}).get("sources", set())
                if any(s.startswith(pre) for s in srcs):
                    n_listed += 1
                    lf = os.path.basename(a["evidence"]["file"])
                    if lf.endswith(".jsonl"):
                        ok = False  # with account names, no benign source may be listed
        print(f"  {p['name']:28} {n_alert} alerts; listed among campaign sources in"
              f" {n_listed} alerts")
        if n_alert:
            ok = False
    if check:
        print("\nRESULT:", "PASS" if ok else "FAIL")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
