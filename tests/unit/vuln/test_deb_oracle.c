/* Oracle test: mamori's Debian version order against `dpkg --compare-versions`
 * itself on generated pairs (default 100,000; MM_DPKG_PAIRS overrides). Pairs
 * come from a fixed-seed generator biased to near-equal versions (epochs,
 * '~', '+', '.', letters, leading zeros, revisions), and each pair asks dpkg
 * the relation mamori computed: exit 0 means dpkg agrees. Two dpkg processes
 * run at a time (posix_spawn); at ~1.4 ms per process the default checks the
 * first 30,000 pairs with the binary (MM_DPKG_BIN_PAIRS; 100000 for all) and
 * every pair with dpkg's own Perl implementation (Dpkg::Version from
 * libdpkg-perl, one process). Skipped when dpkg is not installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/vuln.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* a minimal environment: no locale files to load per call */
static char *g_env[] = {(char *)"LC_ALL=C", (char *)"PATH=/usr/bin:/bin", NULL};

static uint64_t g_rng = 0x9E3779B97F4A7C15u;
static unsigned rnd(unsigned n)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (unsigned)(g_rng % n);
}

static const char g_chars[] = "0123456789000111abzAZ..~~++";

/* Debian Policy §5.6.12: upstream starts with a digit and uses
 * [A-Za-z0-9.+~-] ('-' only when there is a revision); revision [A-Za-z0-9.+~]. */
static void gen_part(char *o, size_t *n, size_t len, bool first_digit)
{
	for (size_t i = 0; i < len; i++)
		o[(*n)++] = first_digit && i == 0 ? (char)('0' + rnd(10))
		                                  : g_chars[rnd(sizeof(g_chars) - 1)];
}

static void gen(char *o, size_t cap)
{
	size_t n = 0;
	(void)cap;
	if (rnd(4) == 0)
		n += (size_t)snprintf(o, 8, "%u:", rnd(3));
	gen_part(o, &n, 1 + rnd(6), true);
	if (rnd(3)) {
		if (rnd(5) == 0) { /* a hyphen inside upstream */
			o[n++] = '-';
			gen_part(o, &n, 1 + rnd(3), true);
		}
		o[n++] = '-';
		gen_part(o, &n, 1 + rnd(4), true);
	}
	o[n] = '\0';
}

/* b: a copy of a with one small edit, so pairs are often close */
static void mutate(const char *a, char *b, size_t cap)
{
	char tmp[64];
	for (;;) {
		size_t n = strlen(a);
		memcpy(tmp, a, n + 1);
		unsigned op = rnd(5);
		size_t at = n ? rnd((unsigned)n) : 0;
		if (op == 0 && n < 40) { /* insert */
			memmove(tmp + at + 1, tmp + at, n - at + 1);
			tmp[at] = g_chars[rnd(sizeof(g_chars) - 1)];
		} else if (op == 1 && n > 1) { /* replace */
			tmp[at] = g_chars[rnd(sizeof(g_chars) - 1)];
		} else if (op == 2 && n > 1) { /* delete */
			memmove(tmp + at, tmp + at + 1, n - at);
		} else if (op == 3) {
			gen(tmp, sizeof(tmp));
		} /* op 4: identical */
		/* keep it valid: epoch digits, upstream starts with a digit,
		 * ':' only as the epoch separator, '-' never at the end */
		const char *c = strchr(tmp, ':');
		const char *up = c ? c + 1 : tmp;
		bool ok = *up >= '0' && *up <= '9' && (!c || strchr(up, ':') == NULL);
		for (const char *p = tmp; c && p < c; p++)
			ok = ok && *p >= '0' && *p <= '9';
		if (c == tmp)
			ok = false;
		size_t m = strlen(tmp);
		if (!m || tmp[m - 1] == '-' || strstr(tmp, ":-") || (c && !c[1]))
			ok = false;
		if (ok) {
			snprintf(b, cap, "%s", tmp);
			return;
		}
	}
}

/* Every pair through Dpkg::Version's version_compare (dpkg's Perl library):
 * one process, a line "a b" in, "-1/0/1" out. Returns the disagreements, or
 * 0 with a note when libdpkg-perl is missing. */
static size_t perl_oracle(char (*as)[64], char (*bs)[64], const int *want, size_t n)
{
	char in[] = "/tmp/mm_deb_oracle_in_XXXXXX";
	int fd = mkstemp(in);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s %s\n", as[i], bs[i]);
	fclose(f);
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
	         "LC_ALL=C perl -MDpkg::Version=version_compare -ne "
	         "'chomp; my ($a, $b) = split / /; print version_compare($a, $b), \"\\n\"' %s",
	         in);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[32];
	size_t i = 0, bad = 0;
	while (i < n && fgets(line, sizeof(line), p)) {
		int r = (int)strtol(line, NULL, 10);
		if (r != want[i]) {
			if (bad < 20)
				fprintf(stderr, "Dpkg::Version disagrees: '%s' vs '%s': %d, mamori %d\n",
				        as[i], bs[i], r, want[i]);
			bad++;
		}
		i++;
	}
	int st = pclose(p);
	unlink(in);
	if (i == 0 && st != 0) {
		fprintf(stderr, "Dpkg::Version not available (libdpkg-perl): binary oracle only\n");
		return 0;
	}
	assert_int_equal(i, n);
	fprintf(stderr, "Dpkg::Version: %zu pairs, %zu disagreements\n", n, bad);
	return bad;
}

struct job {
	pid_t pid;
	size_t idx;
};

static void test_oracle(void **st)
{
	(void)st;
	if (access("/usr/bin/dpkg", X_OK) != 0)
		skip();
	const char *env = getenv("MM_DPKG_PAIRS");
	size_t npairs = env ? (size_t)strtoul(env, NULL, 10) : 100000;
	char (*as)[64] = calloc(npairs, 64), (*bs)[64] = calloc(npairs, 64);
	int *want = calloc(npairs, sizeof(int));
	assert_non_null(as);
	assert_non_null(bs);
	assert_non_null(want);
	for (size_t i = 0; i < npairs; i++) {
		gen(as[i], 64);
		mutate(as[i], bs[i], 64);
		want[i] = mm_vers_cmp(MM_VS_DEB, mm_slice_cstr(as[i]), mm_slice_cstr(bs[i]));
	}
	const char *benv = getenv("MM_DPKG_BIN_PAIRS");
	size_t nbin = benv ? (size_t)strtoul(benv, NULL, 10) : 30000;
	if (nbin > npairs)
		nbin = npairs;
	size_t bad = perl_oracle(as, bs, want, npairs);
	size_t next = 0, done = 0, counts[3] = {0};
	struct job jobs[2] = {{0, 0}, {0, 0}};
	while (done < nbin) {
		for (int k = 0; k < 2 && next < nbin; k++) {
			if (jobs[k].pid)
				continue;
			const char *op = want[next] < 0 ? "lt" : want[next] > 0 ? "gt" : "eq";
			char *argv[] = {(char *)"dpkg", (char *)"--compare-versions", as[next],
			                (char *)op, bs[next], NULL};
			pid_t pid;
			assert_int_equal(posix_spawn(&pid, "/usr/bin/dpkg", NULL, NULL, argv, g_env), 0);
			jobs[k].pid = pid;
			jobs[k].idx = next++;
		}
		int status;
		pid_t pid = wait(&status);
		assert_true(pid > 0);
		for (int k = 0; k < 2; k++) {
			if (jobs[k].pid != pid)
				continue;
			size_t i = jobs[k].idx;
			jobs[k].pid = 0;
			done++;
			counts[want[i] + 1]++;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				if (bad < 20)
					fprintf(stderr, "dpkg disagrees: '%s' vs '%s': mamori says %d\n",
					        as[i], bs[i], want[i]);
				bad++;
			}
		}
	}
	fprintf(stderr, "dpkg binary: %zu pairs (%zu lt, %zu eq, %zu gt); total disagreements %zu\n",
	        nbin, counts[0], counts[1], counts[2], bad);
	assert_int_equal(bad, 0);
	assert_true(counts[0] > 0 && counts[1] > 0 && counts[2] > 0);
	free(as);
	free(bs);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_oracle)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
