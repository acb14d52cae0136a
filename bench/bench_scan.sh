#!/usr/bin/env bash
# mamori — throughput benchmark of `mamori scan` on a large combined access log,
# next to a raw regex scan (ripgrep), a log analyser (GoAccess) and fail2ban's
# regex engine. Builds nothing: it takes the binaries from the environment
#   MAMORI      mamori binary                 (default: build/mamori)
#   GEN_ACCESS  mamori-gen-access generator   (default: build/tools/mamori-gen-access)
#   BENCH_MB    size of the big file in MiB   (default: 1024)
#   SLICE_MB    size of the small file in MiB (default: 100; fail2ban runs on it)
#   BENCH_SEED  generator seed                (default: 42)
# Generated logs are cached in bench/work/ (gitignored). See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
MAMORI=${MAMORI:-$root/build/mamori}
GEN_ACCESS=${GEN_ACCESS:-$root/build/tools/mamori-gen-access}
BENCH_MB=${BENCH_MB:-1024}
SLICE_MB=${SLICE_MB:-100}
BENCH_SEED=${BENCH_SEED:-42}
work=$here/work
mkdir -p "$work"

die() { echo "bench_scan.sh: $*" >&2; exit 2; }
[ -x "$MAMORI" ] || die "no mamori binary at $MAMORI (build first: cmake --build build, or set MAMORI=)"
[ -x "$GEN_ACCESS" ] || die "no generator at $GEN_ACCESS (build the tools/ targets, or set GEN_ACCESS=)"

# GNU time gives elapsed seconds and peak RSS; bash's `time` only the former.
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e' true >/dev/null 2>&1; then
	gnu_time=/usr/bin/time
else
	echo "note: GNU time not found, peak RSS will not be reported (Debian: apt-get install time)"
fi

gen() { # gen MB FILE — cached by size and seed
	local mb=$1 f=$2
	if [ ! -s "$f" ]; then
		echo "generating $f ($mb MiB, seed $BENCH_SEED)…"
		"$GEN_ACCESS" "$mb" "$BENCH_SEED" > "$f.tmp"
		mv "$f.tmp" "$f"
	fi
}
# The cache key includes the generator's checksum: a changed generator regenerates.
genid=$(cksum < "$GEN_ACCESS" | cut -d' ' -f1)
big=$work/access-${BENCH_MB}M-s${BENCH_SEED}-g${genid}.log
slice=$work/access-${SLICE_MB}M-s${BENCH_SEED}-g${genid}.log
find "$work" -name 'access-*.log' ! -name "*-g${genid}.log" -delete
gen "$BENCH_MB" "$big"
gen "$SLICE_MB" "$slice"

mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# run NAME FILE CMD… — time one command (stdout discarded, stderr kept in
# work/NAME.err); sets R_SECS, R_CPU (user + system seconds) and R_RSS_KB
# (the last two empty without GNU time). On a shared machine the elapsed
# time includes waiting for a CPU; the CPU time does not.
R_SECS="" R_CPU="" R_RSS_KB=""
run() {
	local name=$1
	shift
	local err=$work/$name.err tf=$work/$name.time
	if [ -n "$gnu_time" ]; then
		if ! "$gnu_time" -f '%e %M %U %S' -o "$tf" "$@" >/dev/null 2>"$err"; then
			echo "  $name failed, see $err" >&2
		fi
		local u s
		read -r R_SECS R_RSS_KB u s < "$tf"
		R_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	else
		local t0 t1
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>"$err" || echo "  $name failed, see $err" >&2
		t1=$(date +%s.%N)
		R_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
		R_CPU="" R_RSS_KB=""
	fi
}

rows=()
mamori_rate=""
row() { # row TOOL FILE SECS [RSS_KB [CPU_SECS]]
	local tool=$1 f=$2 secs=$3 rss=${4:-} cpu=${5:-} mb rate ratio crate
	mb=$(mib "$f")
	rate=$(awk -v m="$mb" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0 ? m / s : 0) }')
	if [ -z "$mamori_rate" ]; then mamori_rate=$rate; fi
	ratio=$(awk -v r="$rate" -v m="$mamori_rate" 'BEGIN { printf "%.2fx", (m > 0 ? r / m : 0) }')
	if [ -n "$rss" ]; then rss=$((rss / 1024)); else rss=-; fi
	if [ -n "$cpu" ]; then
		crate=$(awk -v m="$mb" -v s="$cpu" 'BEGIN { printf "%.1f", (s > 0 ? m / s : 0) }')
	else
		cpu=- crate=-
	fi
	rows+=("$(printf '%-34s %8s %9s %9s %9s %9s %9s %9s' "$tool" "$mb" "$secs" "$rate" "$ratio" \
		"$rss" "$cpu" "$crate")")
}
skip() { rows+=("$(printf '%-34s %s' "$1" "skipped (not installed)")"); }

echo "benchmarking on $(nproc) CPU(s): $big"

rm -f "$work/scan.db" "$work/scan.db-wal" "$work/scan.db-shm"
run mamori_big "$MAMORI" scan "$big" --format combined --db "$work/scan.db" --no-progress
row "mamori scan (bundled rules)" "$big" "$R_SECS" "$R_RSS_KB" "$R_CPU"
rss_big=$R_RSS_KB

rm -f "$work/scan.db" "$work/scan.db-wal" "$work/scan.db-shm"
run mamori_slice "$MAMORI" scan "$slice" --format combined --db "$work/scan.db" --no-progress
row "mamori scan (slice)" "$slice" "$R_SECS" "$R_RSS_KB" "$R_CPU"
rss_slice=$R_RSS_KB
rm -f "$work/scan.db" "$work/scan.db-wal" "$work/scan.db-shm"

if command -v rg >/dev/null; then
	run rg rg -c 'union.*select|\.\./|jndi' "$big"
	row "rg -c 'union.*select|\\.\\./|jndi'" "$big" "$R_SECS" "$R_RSS_KB" "$R_CPU"
else
	skip "rg (raw regex scan)"
fi

if command -v goaccess >/dev/null; then
	run goaccess goaccess "$big" --log-format=COMBINED --no-global-config -o "$work/goaccess.json"
	row "goaccess (COMBINED -> JSON)" "$big" "$R_SECS" "$R_RSS_KB" "$R_CPU"
	rm -f "$work/goaccess.json"
else
	skip "goaccess"
fi

if command -v fail2ban-regex >/dev/null; then
	# nginx-botsearch reads access logs (combined); apache-noscript is an
	# error-log filter and would match nothing here, so it is not timed.
	run fail2ban fail2ban-regex -r "$slice" nginx-botsearch
	row "fail2ban-regex nginx-botsearch" "$slice" "$R_SECS" "$R_RSS_KB" "$R_CPU"
else
	skip "fail2ban-regex"
fi

echo
printf '%-34s %8s %9s %9s %9s %9s %9s %9s\n' tool MiB seconds MiB/s "vs mamori" "RSS MiB" \
	"CPU s" "MiB/CPU-s"
printf '%-34s %8s %9s %9s %9s %9s %9s %9s\n' ---- --- ------- ----- --------- ------- \
	----- ---------
for r in "${rows[@]}"; do echo "$r"; done
echo
if [ -n "$gnu_time" ]; then
	echo "mamori peak RSS: $(mib "$slice") MiB input -> $((rss_slice / 1024)) MiB;" \
	     "$(mib "$big") MiB input -> $((rss_big / 1024)) MiB"
else
	echo "mamori peak RSS: not measured (install GNU time: apt-get install time)"
fi
echo "mamori run summary (big file):"
sed 's/^/  /' "$work/mamori_big.err" | tail -n 25
