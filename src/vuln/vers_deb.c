/* mamori — Debian version ordering, exactly as dpkg: Debian Policy §5.6.12
 * ([epoch:]upstream[-revision]) and dpkg's verrevcmp (lib/dpkg/version.c):
 * non-digit runs compare by a weight where '~' sorts before everything, even
 * the end of the string, and letters before other characters; digit runs
 * compare numerically. Tested against `dpkg --compare-versions` itself. */
#include "vuln_int.h"

static int order(int c)
{
	if (c >= '0' && c <= '9')
		return 0;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

static bool isdig(int c) { return c >= '0' && c <= '9'; }

static int verrevcmp(struct mm_slice as, struct mm_slice bs)
{
	size_t i = 0, j = 0;
#define A (i < as.n ? (unsigned char)as.p[i] : 0)
#define B (j < bs.n ? (unsigned char)bs.p[j] : 0)
	while (i < as.n || j < bs.n) {
		int first_diff = 0;
		while ((A && !isdig(A)) || (B && !isdig(B))) {
			int ac = order(A), bc = order(B);
			if (ac != bc)
				return ac - bc;
			i++;
			j++;
		}
		while (A == '0')
			i++;
		while (B == '0')
			j++;
		while (isdig(A) && isdig(B)) {
			if (!first_diff)
				first_diff = A - B;
			i++;
			j++;
		}
		if (isdig(A))
			return 1;
		if (isdig(B))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
#undef A
#undef B
}

struct debv {
	struct mm_slice epoch, upstream, revision;
};

static void split(struct mm_slice v, struct debv *d)
{
	size_t i = 0;
	while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t'))
		i++;
	v.p += i;
	v.n -= i;
	while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t'))
		v.n--;
	d->epoch = mm_slice("0", 1);
	const char *colon = memchr(v.p, ':', v.n);
	if (colon) {
		d->epoch = mm_slice(v.p, (size_t)(colon - v.p));
		v.n -= (size_t)(colon - v.p) + 1;
		v.p = colon + 1;
	}
	size_t h = v.n;
	while (h && v.p[h - 1] != '-')
		h--;
	if (h) {
		d->upstream = mm_slice(v.p, h - 1);
		d->revision = mm_slice(v.p + h, v.n - h);
	} else {
		d->upstream = v;
		d->revision = mm_slice("", 0);
	}
}

int mm__vers_deb(struct mm_slice a, struct mm_slice b)
{
	struct debv x, y;
	split(a, &x);
	split(b, &y);
	int r = mm__numcmp(x.epoch.p, x.epoch.n, y.epoch.p, y.epoch.n);
	if (r)
		return r;
	if ((r = verrevcmp(x.upstream, y.upstream)))
		return r;
	return verrevcmp(x.revision, y.revision);
}
