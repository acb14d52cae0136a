#!/usr/bin/env bash
# mamori report on the demo data: every incident's evidence reference resolves
# to the right raw line (open the file at the byte offset and compare, and
# check the line number), formulas are shown, re-running adds no incident,
# all formats and both languages are written, the output is reproducible.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$src"
"$bin" scan data/demo --glob '*.log*' --tz UTC --db "$tmp/demo.db" -q --no-progress > /dev/null
# vulnerability findings become incidents (one per host); their time is the
# vuln run's wall clock, set into the report's month here
"$bin" vuln -q --db "$tmp/demo.db" -i tests/data/vuln/inventories/nginx_status --host web1 \
  -a tests/data/vuln/advisories/DSA-3029-1.json > /dev/null
sqlite3 "$tmp/demo.db" 'update findings set first_seen = 1795600000, last_seen = 1795600000'
export SOURCE_DATE_EPOCH=1764000000
for lang in en ja; do
  for fmt in html md json; do
    "$bin" report --month 2026-11 --tz Asia/Tokyo --db "$tmp/demo.db" --lang $lang \
      --format $fmt -o "$tmp/r.$lang.$fmt"
    [[ -s "$tmp/r.$lang.$fmt" ]] || { echo "FAIL: empty $lang $fmt"; exit 1; }
  done
done
n1=$(sqlite3 "$tmp/demo.db" 'select count(*) from incidents')
"$bin" report --month 2026-11 --db "$tmp/demo.db" --format json -o "$tmp/again.json"
n2=$(sqlite3 "$tmp/demo.db" 'select count(*) from incidents')
[[ $n1 == "$n2" && $n1 -gt 0 ]] || { echo "FAIL: incidents $n1 then $n2"; exit 1; }
# reproducible: same store, same options, same bytes
"$bin" report --month 2026-11 --tz Asia/Tokyo --db "$tmp/demo.db" --lang ja -o "$tmp/r2.html"
cmp -s "$tmp/r.ja.html" "$tmp/r2.html" || { echo "FAIL: report not reproducible"; exit 1; }

python3 - "$tmp/r.en.json" "$tmp/demo.db" <<'PY'
import json, sys, sqlite3
r = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
incs = r["incidents"]
assert incs, "no incidents"
assert r["summary"]["incidents"] == len(incs)
assert db.execute("select count(*) from alerts").fetchone()[0] == \
       db.execute("select count(*) from incident_alerts where alert_id not like 'finding:%'"
                  ).fetchone()[0], "alert without incident"
evid = {e["ref"]: e for e in r["evidence"]}
assert sorted(evid) == list(range(1, len(evid) + 1)), "references not numbered 1..n"
checked = corr = 0
for inc in incs:
    assert inc["evidence"], "incident %d without evidence" % inc["id"]
    assert inc["loss"]["low"] <= inc["loss"]["likely"] <= inc["loss"]["high"]
    assert inc["loss"]["items"] and all(i["formula"] for i in inc["loss"]["items"])
    for ref in inc["evidence"]:
        e = evid[ref]
        assert e["incident"] == inc["id"]
        if inc["class"] == "vulnerability":
            # an inventory line: no byte offset; the line holds the package
            lines = open(e["file"], encoding="utf-8").read().split("\n")
            assert lines[e["line"] - 1] == e["raw"].split(" Version:")[0], (ref, e)
            assert any(f["evidence"] == ref for f in inc["findings"])
            checked += 1
            continue
        with open(e["file"], "rb") as f:
            data = f.read()
        end = data.index(b"\n", e["offset"]) if b"\n" in data[e["offset"]:] else len(data)
        line = data[e["offset"]:end].decode("utf-8", "replace")
        assert line == e["raw"], "ref %d: %r != %r" % (ref, line, e["raw"])
        assert data[:e["offset"]].count(b"\n") + 1 == e["line"], "ref %d: wrong line" % ref
        # the alert behind the reference belongs to this incident
        got = db.execute("select incident_id from incident_alerts where alert_id=?",
                         (e["alert_id"],)).fetchone()
        assert got and got[0] == inc["id"]
        checked += 1
        if "correlation_ref" in e:
            # an event a correlation alert counted: the parent reference is
            # that alert, cited just before, and its stored evidence.events[]
            # names this very line
            parent = evid[e["correlation_ref"]]
            assert parent["alert_id"] == e["alert_id"] and "correlation_ref" not in parent
            assert e["correlation_ref"] < ref and ref in inc["evidence"]
            js = json.loads(db.execute("select json from alerts where id=?",
                                       (e["alert_id"],)).fetchone()[0])
            assert js["correlation"]["type"], "parent is not a correlation alert"
            assert any(x["file"] == e["file"] and x["offset"] == e["offset"] and
                       x["line"] == e["line"] for x in js["evidence"]["events"]), ref
            assert 1 <= e["event"] <= e["events_total"] == js["evidence"]["events_total"]
            corr += 1
# the vulnerability incident: one per host, its findings with the fixed
# version, a patching cost, linked idempotently
v = [i for i in incs if i["class"] == "vulnerability"]
assert len(v) == 1 and v[0]["entity"] == "web1" and v[0]["alerts"] == 2, v
assert {f["package"] for f in v[0]["findings"]} == {"nginx-full", "nginx-extras"}
assert all(f["fixed"] == "1.2.1-2.2+wheezy3" and f["vulnerability"] == "CVE-2014-3616"
           for f in v[0]["findings"])
assert [i["key"] for i in v[0]["loss"]["items"]] == ["patching"]
assert db.execute("select count(*) from incident_alerts where alert_id like 'finding:%'"
                  ).fetchone()[0] == 2
assert r["vulnerabilities"]["available"] is True
# what the demo must contain: the successful root login and the web shell
by = {(i["class"], i["entity"]): i for i in incs}
assert by[("account-attack", "203.0.113.5")]["outcome"] == "succeeded"
assert by[("web-attack", "198.51.100.150")]["outcome"] == "succeeded"
assert by[("web-attack", "203.0.113.45")]["outcome"] == "possible"
# affected accounts / records: every estimate names its basis, else "unknown"
est = {(i["class"], i["entity"]): i["estimate"] for i in incs if i["class"] != "vulnerability"}
assert est[("account-attack", "198.51.100.200")]["accounts"].startswith("19 targeted")  # 19 names > 8 per spray window
assert est[("account-attack", "203.0.113.5")]["accounts"].startswith("1 targeted")
assert "1 compromised" in est[("account-attack", "203.0.113.5")]["accounts"]
assert est[("web-attack", "198.51.100.150")]["accounts_basis"] == "unknown"
assert all(e["records_basis"] == "unknown" and e["records"].startswith("unknown")
           for e in est.values())
cov = {c["class"]: c["detectable"] for c in r["coverage"]}
# the demo has a Postfix log (data/demo/mail/): relay abuse and phishing mail are
# visible; data/demo/net/ (Zeek conn.log, the router's firewall log) makes egress visible
assert cov["web-attack"] == "partial" and cov["egress"] == "yes" and cov["mail-relay"] == "yes"
assert cov["phishing-mail"] == "yes"
assert r["vulnerabilities"]["available"] in (False, True)
# every correlation alert cited has its counted events cited after it
# (the egress analyzers' alerts cite one or two lines: a first contact, the
# biggest transfer, the last line before a silence)
def corr_js(e):
    js = json.loads(db.execute("select json from alerts where id=?", (e["alert_id"],)).fetchone()[0])
    ref = js.get("rule", {}).get("reference", "")
    return js.get("correlation") and not ref.startswith(("analyzer:egress/", "analyzer:exfiltration/"))
ncorr_alerts = sum(1 for e in evid.values() if "correlation_ref" not in e and e["alert_id"] and
                   corr_js(e))
assert ncorr_alerts > 0 and corr >= ncorr_alerts * 3, (ncorr_alerts, corr)
print("report: %d incidents, %d evidence references resolved (%d counted by correlations)"
      % (len(incs), checked, corr))
PY
# sections present in both languages
for s in 'Summary for management' 'Top incidents' 'Unauthorized access and malware' \
         'Vulnerabilities' 'Personal data' 'Trends' 'What your logs cannot show' \
         'Recommended actions' 'Evidence'; do
  grep -q "$s" "$tmp/r.en.html" || { echo "FAIL: en html lacks $s"; exit 1; }
  grep -q "## $s" "$tmp/r.en.md" || { echo "FAIL: en md lacks $s"; exit 1; }
done
# the Markdown vulnerability section, as the HTML one: per incident (host),
# the package and the version to patch to
grep -Eq '^### #[0-9]+ web1 ' "$tmp/r.en.md" || { echo "FAIL: md lacks the web1 vulnerability incident"; exit 1; }
grep -q '| nginx-full | .* | CVE-2014-3616 | .* | patch to 1.2.1-2.2+wheezy3 |' "$tmp/r.en.md" \
  || { echo "FAIL: md vulnerability row lacks 'patch to'"; grep -n 'CVE-2014-3616' "$tmp/r.en.md"; exit 1; }
for s in '経営層向けサマリー' 'トピックス' '不正アクセス・マルウェア' '脆弱性' '個人情報' '動向' \
         '現在のログでは見えないこと' '推奨する対策' '出典'; do
  grep -q "$s" "$tmp/r.ja.html" || { echo "FAIL: ja html lacks $s"; exit 1; }
done
grep -q 'JNSA' "$tmp/r.ja.html"
grep -q 'patch to 1.2.1-2.2+wheezy3' "$tmp/r.en.html" || { echo "FAIL: patch to X"; exit 1; }
grep -q '1.2.1-2.2+wheezy3 に更新' "$tmp/r.ja.html" || { echo "FAIL: ja patch to X"; exit 1; }
# no external reference of any kind in the HTML
if grep -Eio '(src|href)="(https?:)?//[^"]*' "$tmp/r.en.html"; then echo "FAIL: external URL"; exit 1; fi
if grep -qi '<script' "$tmp/r.en.html"; then echo "FAIL: script in report"; exit 1; fi
# a config with loss parameters adds compensation with the JNSA formula
cat > "$tmp/m.yaml" <<'Y'
loss:
  records_held: 1200
  fields: [name, address, email, phone]
  hourly_gross_profit: 20000
Y
"$bin" report --month 2026-11 --db "$tmp/demo.db" -c "$tmp/m.yaml" --lang en -o "$tmp/c.md"
grep -q '500 × (10^(1−1) + 5^(1−1)) × 6 × 1 × (1 / 1 / 2) × (1,200 / 1,200 / 1,200)' "$tmp/c.md" \
  || { echo "FAIL: JNSA formula missing"; exit 1; }
grep -q 'up to 1,200 people: the number held by the attacked system (loss.records_held' "$tmp/c.md" \
  || { echo "FAIL: records basis missing"; exit 1; }
# usage errors
set +e
"$bin" report --month 2026-13 --db "$tmp/demo.db" >/dev/null 2>&1; [[ $? -eq 2 ]] || { echo "FAIL: bad month"; exit 1; }
"$bin" report --lang fr --db "$tmp/demo.db" >/dev/null 2>&1; [[ $? -eq 2 ]] || { echo "FAIL: bad lang"; exit 1; }
"$bin" incident show 99999 --db "$tmp/demo.db" >/dev/null 2>&1; [[ $? -eq 1 ]] || { echo "FAIL: no incident"; exit 1; }
set -e
id=$(sqlite3 "$tmp/demo.db" "select id from incidents where entity='203.0.113.5'")
"$bin" incident ack "$id" --note 'ticket 1' --db "$tmp/demo.db" > "$tmp/o1"
grep -q acknowledged "$tmp/o1"
"$bin" incident list --db "$tmp/demo.db" --status acknowledged > "$tmp/o2"
grep -q '203.0.113.5' "$tmp/o2"
"$bin" incident show "$id" --db "$tmp/demo.db" > "$tmp/o3"
grep -q 'Accepted password for root' "$tmp/o3" || { echo "FAIL: incident show"; exit 1; }
# "what your logs cannot show" uses the data sources of the period only: a
# log of October adds a dataset to October's report and not to November's
printf '{"@timestamp":"2026-10-03T10:00:00Z","source":{"ip":"10.0.0.5"}}\n' > "$tmp/oct.jsonl"
"$bin" scan "$tmp/oct.jsonl" --db "$tmp/demo.db" -q --no-progress > /dev/null
"$bin" report --month 2026-10 --db "$tmp/demo.db" --format json -o "$tmp/oct.json"
"$bin" report --month 2026-11 --db "$tmp/demo.db" --format json -o "$tmp/nov.json"
"$bin" report --month 2026-09 --db "$tmp/demo.db" --format json -o "$tmp/sep.json"
python3 - "$tmp/oct.json" "$tmp/nov.json" "$tmp/sep.json" <<'PY'
import json, sys
oct_, nov, sep = (json.load(open(p)) for p in sys.argv[1:4])
assert oct_["datasets"] == {"json": 1}, oct_["datasets"]
cov = {c["class"]: c["detectable"] for c in oct_["coverage"]}
assert cov["web-attack"] == "no" and cov["account-attack"] == "no", cov
assert "json" not in nov["datasets"] and nov["datasets"]["web.access"] == 8415, nov["datasets"]
assert sep["datasets"] == {}, sep["datasets"]
assert all(c["detectable"] == "no" for c in sep["coverage"] if c["class"] != "vulnerability")
PY
echo "report: ok"
