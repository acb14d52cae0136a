#!/usr/bin/env bash
# mamori — throughput of the mail path: `mamori scan` of a generated Postfix
# maillog (syslog + Postfix decoder + message assembly + rules + the mail
# analyzers), next to pflogsumm (Debian's Postfix log summariser, a Perl
# script that also assembles messages by queue ID) and a raw ripgrep scan
# for "status=" (the floor: reading the bytes), with ratios. Also times
# `mamori mail` over the .eml samples. Builds nothing:
#   MAMORI    mamori binary                 (default: build/mamori)
#   GEN_MAIL  mamori-gen-mail generator     (default: build/tools/mamori-gen-mail)
#   BENCH_COPIES  how many generated 3-day logs are concatenated (default: 20)
# Generated logs are cached in bench/work/ (gitignored). See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
MAMORI=${MAMORI:-$root/build/mamori}
GEN_MAIL=${GEN_MAIL:-$root/build/tools/mamori-gen-mail}
COPIES=${BENCH_COPIES:-20}
work=$here/work
mkdir -p "$work"
die() { echo "bench_mail.sh: $*" >&2; exit 2; }
[ -x "$MAMORI" ] || die "no mamori binary at $MAMORI (build first, or set MAMORI=)"
[ -x "$GEN_MAIL" ] || die "no generator at $GEN_MAIL (build the tools/ targets, or set GEN_MAIL=)"

log=$work/maillog-x$COPIES.log
if [ ! -s "$log" ]; then
	echo "generating $log ($COPIES seeds of mamori-gen-mail)…"
	: > "$log.tmp"
	for s in $(seq 1 "$COPIES"); do
		"$GEN_MAIL" "$work/gm.$s" "$s" > /dev/null
		cat "$work/gm.$s/maillog.log" >> "$log.tmp"
		rm -rf "$work/gm.$s"
	done
	mv "$log.tmp" "$log"
fi
lines=$(wc -l < "$log")
mb=$(awk -v b="$(wc -c < "$log")" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "input: $log, $lines lines, $mb MiB"
cat > "$work/bench-mail.yaml" <<'YAML'
mail:
  own_domains: [example.co.jp, shop.example.jp]
  bulk_senders: [newsletter@shop.example.jp]
YAML

t() { # t NAME CMD… — best of 3 wall-clock seconds
	local name=$1 best="" s e d
	shift
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		"$@" > /dev/null 2>&1 || true
		e=$(date +%s.%N)
		d=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", b - a }')
		if [ -z "$best" ] || awk -v a="$d" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$d; fi
	done
	printf '%-44s %8.3f s  %10.0f lines/s\n' "$name" "$best" "$(awk -v l="$lines" -v s="$best" 'BEGIN { print (s > 0 ? l / s : 0) }')"
	last=$best
}

t "mamori scan (all rules + mail analyzers)" "$MAMORI" scan "$log" --no-db --format syslog \
	--tz UTC -c "$work/bench-mail.yaml" --no-progress -q
t_mamori=$last
mkdir -p "$work/norules"
t "mamori scan, no rules (decode+assembly+analyzers)" "$MAMORI" scan "$log" --no-db --format syslog \
	--tz UTC --rules "$work/norules" -c "$work/bench-mail.yaml" --no-progress -q
t_decode=$last
if command -v pflogsumm > /dev/null; then
	t "pflogsumm (Perl, message summary)" pflogsumm "$log"
	t_pf=$last
else
	echo "pflogsumm not installed (Debian: apt-get install pflogsumm, or scripts/install-deps.sh --bench)"
	t_pf=""
fi
if command -v rg > /dev/null; then
	t "rg -c 'status=' (raw scan floor)" rg -c 'status=' "$log"
	t_rg=$last
else
	t_rg=""
fi
echo
[ -n "$t_pf" ] && awk -v a="$t_mamori" -v b="$t_pf" 'BEGIN { printf "mamori scan is %.1fx faster than pflogsumm\n", b / a }'
[ -n "$t_rg" ] && awk -v a="$t_mamori" -v b="$t_rg" 'BEGIN { printf "mamori scan takes %.1fx the time of a raw rg scan\n", a / b }'
awk -v a="$t_decode" -v b="$t_mamori" 'BEGIN { printf "without the Sigma rules: %.0f%% of the full scan\n", 100 * a / b }'
# mamori mail over the samples, repeated to get a measurable time
eml=$root/data/demo/mail/eml
n=$(ls "$eml" | wc -l)
rm -rf "$work/eml"; mkdir -p "$work/eml"
for i in $(seq 1 50); do for f in "$eml"/*.eml; do cp "$f" "$work/eml/$i-$(basename "$f")"; done; done
s=$(date +%s.%N)
"$MAMORI" mail --no-db -q -c "$root/data/demo/mamori.yaml" "$work/eml" > /dev/null || true
e=$(date +%s.%N)
awk -v a="$s" -v b="$e" -v n="$((n * 50))" 'BEGIN { printf "mamori mail: %d messages in %.3f s (%.0f messages/s)\n", n, b - a, n / (b - a) }'
