#!/usr/bin/env bash
# Windows JSON through `mamori scan` with the bundled pipelines: one Sigma
# process_creation rule (written here) must match the same process start as
# a Sysmon event 1 in evtx_dump's pretty-printed JSON, as Winlogbeat JSON
# Lines, and as a Security 4688 record (NewProcessName, via
# pipelines/windows.yml); and must not match a Security event with another
# ID, a Sysmon event 13 carrying the same Image, or a non-Windows JSON object.
set -euo pipefail
bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/rule.yml" <<'YML'
title: Whoami Started
id: 0e5d7b0c-3f2e-4c55-9a3c-6d1f3a1f0001
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith: '\whoami.exe'
        ParentImage|endswith: '\cmd.exe'
    condition: selection
level: medium
YML
cat > "$tmp/sysmon.json" <<'JSON'
{
  "Event": {
    "System": {
      "Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}},
      "EventID": 1,
      "TimeCreated": {"#attributes": {"SystemTime": "2026-11-20T09:00:00.000Z"}},
      "Channel": "Microsoft-Windows-Sysmon/Operational",
      "Computer": "ws1"
    },
    "EventData": {
      "Image": "C:\\Windows\\System32\\whoami.exe",
      "ParentImage": "C:\\Windows\\System32\\cmd.exe",
      "CommandLine": "whoami /all"
    }
  }
}
{
  "Event": {
    "System": {"EventID": 13, "Channel": "Microsoft-Windows-Sysmon/Operational"},
    "EventData": {"Image": "C:\\Windows\\System32\\whoami.exe", "ParentImage": "C:\\Windows\\System32\\cmd.exe"}
  }
}
JSON
cat > "$tmp/winlogbeat.log" <<'JSON'
{"@timestamp":"2026-11-20T09:01:00.000Z","winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":"1","event_data":{"Image":"C:\\Windows\\System32\\whoami.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe"}}}
{"@timestamp":"2026-11-20T09:02:00.000Z","winlog":{"channel":"Security","event_id":"4688","event_data":{"NewProcessName":"C:\\Windows\\System32\\whoami.exe","ParentProcessName":"C:\\Windows\\System32\\cmd.exe","CommandLine":"whoami"}}}
{"@timestamp":"2026-11-20T09:03:00.000Z","winlog":{"channel":"Security","event_id":"4689","event_data":{"NewProcessName":"C:\\Windows\\System32\\whoami.exe","ParentProcessName":"C:\\Windows\\System32\\cmd.exe"}}}
{"@timestamp":"2026-11-20T09:04:00.000Z","Image":"C:\\Windows\\System32\\whoami.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe"}
JSON
"$bin" scan --no-db -q -r "$tmp/rule.yml" "$tmp/sysmon.json" "$tmp/winlogbeat.log" > "$tmp/alerts.jsonl"
n=$(wc -l < "$tmp/alerts.jsonl")
lines=$(python3 -c '
import json, sys, os
for l in open(sys.argv[1]):
    a = json.loads(l)
    print(os.path.basename(a["evidence"]["file"]) + ":" + str(a["evidence"]["line"]))
' "$tmp/alerts.jsonl" | sort | tr '\n' ' ')
echo "alerts: $lines"
[[ "$lines" == "sysmon.json:1 winlogbeat.log:1 winlogbeat.log:2 " ]] || {
  echo "FAIL: expected sysmon.json:1 winlogbeat.log:1 winlogbeat.log:2"; exit 1; }
echo "ok: Sysmon (pretty EVTX JSON), Winlogbeat and Security 4688 match; $n alerts"
