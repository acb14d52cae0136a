#!/usr/bin/env python3
"""Score egress alerts against mamori-gen-net's ground truth.

usage: egress_score.py GROUND_TRUTH ALERTS_JSONL [--check] [--expect-missing CASE ...]

An alert belongs to a case when the case's host and peer both appear among
the alert's group values / fields (source.ip, destination.ip, observer.name).
Prints, per case, whether its expected rule fired and how many alerts it
drew, then precision (alerts attributed to a case / all egress alerts) and
recall (cases whose expected rule fired / cases). --check fails unless every
case is found and no alert is unattributed (the benign periodic traffic
stayed quiet). --expect-missing names cases that must NOT be found (used to
show that learning from the store is what finds them)."""
import json, sys

def main():
    args = sys.argv[1:]
    check = "--check" in args
    missing = []
    if "--expect-missing" in args:
        i = args.index("--expect-missing")
        missing = args[i + 1:]
        args = args[:i]
    args = [a for a in args if a != "--check"]
    truth = []
    for line in open(args[0]):
        if line.startswith("#") or not line.strip():
            continue
        case, host, peer, rule = line.split()
        truth.append((case, host, peer, rule))
    alerts = [json.loads(l) for l in open(args[1])]
    egress = [a for a in alerts if a["rule"].get("reference", "").startswith("analyzer:egress/")
              or a["rule"].get("reference", "").startswith("analyzer:exfiltration/")]
    def vals(a):
        v = set()
        for k in ("source", "destination", "observer"):
            for f in ("ip", "name"):
                x = a.get(k, {}).get(f)
                if x:
                    v.add(str(x))
        return v
    found, attributed = {}, set()
    for case, host, peer, rule in truth:
        hits = [i for i, a in enumerate(egress) if {host, peer} <= vals(a)
                or (host in vals(a) and case in ("exfil", "silence"))]
        rules = {egress[i]["correlation"]["type"] for i in hits}
        found[case] = rule in rules
        attributed.update(hits)
        print(f"case {case:8s} {host:>15s} -> {peer:15s} expected {rule:22s} "
              f"{'FOUND' if found[case] else 'MISSED'}  alerts={len(hits)} "
              f"rules={','.join(sorted(rules)) or '-'}")
    fp = [a for i, a in enumerate(egress) if i not in attributed]
    for a in fp:
        print("unattributed:", a["rule"]["name"], sorted(vals(a)),
              (a.get("correlation", {}).get("explanation") or [""])[0])
    tp = len(attributed)
    prec = tp / len(egress) if egress else 1.0
    rec = sum(found.values()) / len(truth) if truth else 1.0
    print(f"egress alerts {len(egress)}, attributed {tp}, unattributed {len(fp)}; "
          f"precision {prec:.3f}, recall {rec:.3f} ({sum(found.values())}/{len(truth)} cases)")
    bad = False
    for m in missing:
        if found.get(m):
            print(f"FAIL: case {m} found although it should not be (without the learned state)")
            bad = True
        found.pop(m, None)
    if check and (not all(found.values()) or fp):
        print("FAIL: a case was missed or an alert is unattributed")
        bad = True
    return 1 if bad else 0

sys.exit(main())
