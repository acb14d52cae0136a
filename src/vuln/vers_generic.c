/* mamori — generic version ordering for products without a scheme of their
 * own (NVD CPE versions, CSV appliances): the version splits into runs of
 * digits (compared numerically) and of letters (compared case-insensitively);
 * other characters separate. A digit run beats a letter run, and when one
 * version is a prefix of the other the longer one is newer (as rpmvercmp). */
#include "vuln_int.h"

static bool isdg(int c) { return c >= '0' && c <= '9'; }
static bool isal(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int low(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int mm__vers_generic(struct mm_slice a, struct mm_slice b)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a.n && !isdg(a.p[i]) && !isal(a.p[i]))
			i++;
		while (j < b.n && !isdg(b.p[j]) && !isal(b.p[j]))
			j++;
		if (i >= a.n || j >= b.n)
			return (i >= a.n) == (j >= b.n) ? 0 : (i >= a.n ? -1 : 1);
		bool na = isdg(a.p[i]), nb = isdg(b.p[j]);
		if (na != nb)
			return na ? 1 : -1;
		size_t i2 = i, j2 = j;
		if (na) {
			while (i2 < a.n && isdg(a.p[i2]))
				i2++;
			while (j2 < b.n && isdg(b.p[j2]))
				j2++;
			int r = mm__numcmp(a.p + i, i2 - i, b.p + j, j2 - j);
			if (r)
				return r;
		} else {
			while (i2 < a.n && isal(a.p[i2]))
				i2++;
			while (j2 < b.n && isal(b.p[j2]))
				j2++;
			size_t la = i2 - i, lb = j2 - j;
			for (size_t k = 0; k < la && k < lb; k++) {
				int d = low((unsigned char)a.p[i + k]) - low((unsigned char)b.p[j + k]);
				if (d)
					return d < 0 ? -1 : 1;
			}
			if (la != lb)
				return la < lb ? -1 : 1;
		}
		i = i2;
		j = j2;
	}
}
