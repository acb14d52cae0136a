/* mamori — IP addresses and CIDR blocks. Both families in one 128-bit form
 * (IPv4 as ::ffff:a.b.c.d, RFC 4291 §2.5.5.2) so a CIDR test is one prefix
 * compare. Parsing is by hand: inet_pton needs a NUL-terminated copy. */
#include "mamori/core.h"

#include <string.h>

static int parse_v4(const char *p, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part) {
			if (i >= n || p[i] != '.')
				return MM_EPARSE;
			i++;
		}
		unsigned v = 0, nd = 0;
		while (i < n && p[i] >= '0' && p[i] <= '9' && nd < 4) {
			v = v * 10 + (unsigned)(p[i] - '0');
			i++;
			nd++;
		}
		if (nd == 0 || nd > 3 || v > 255)
			return MM_EPARSE;
		out[part] = (uint8_t)v;
	}
	return i == n ? MM_OK : MM_EPARSE;
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int parse_v6(const char *p, size_t n, uint8_t out[16])
{
	uint16_t words[8];
	int nw = 0, gap = -1;
	size_t i = 0;
	if (n >= 2 && p[0] == ':' && p[1] == ':') {
		gap = 0;
		i = 2;
		if (i == n)
			goto done;
	} else if (n && p[0] == ':') {
		return MM_EPARSE;
	}
	while (i < n) {
		if (nw >= 8)
			return MM_EPARSE;
		/* embedded IPv4 tail */
		size_t j = i;
		while (j < n && p[j] != ':' && p[j] != '.')
			j++;
		if (j < n && p[j] == '.') {
			uint8_t v4[4];
			if (nw > 6 || parse_v4(p + i, n - i, v4))
				return MM_EPARSE;
			words[nw++] = (uint16_t)(v4[0] << 8 | v4[1]);
			words[nw++] = (uint16_t)(v4[2] << 8 | v4[3]);
			i = n;
			break;
		}
		unsigned v = 0, nd = 0;
		while (i < n && hexv(p[i]) >= 0 && nd < 5) {
			v = v << 4 | (unsigned)hexv(p[i]);
			i++;
			nd++;
		}
		if (nd == 0 || nd > 4)
			return MM_EPARSE;
		words[nw++] = (uint16_t)v;
		if (i == n)
			break;
		if (p[i] != ':')
			return MM_EPARSE;
		i++;
		if (i < n && p[i] == ':') {
			if (gap >= 0)
				return MM_EPARSE;
			gap = nw;
			i++;
			if (i == n)
				break;
		} else if (i == n) {
			return MM_EPARSE;
		}
	}
done:
	if (gap < 0 && nw != 8)
		return MM_EPARSE;
	if (gap >= 0 && nw > 7)
		return MM_EPARSE;
	memset(out, 0, 16);
	int k = 0;
	for (int w = 0; w < (gap < 0 ? nw : gap); w++, k++) {
		out[2 * k] = (uint8_t)(words[w] >> 8);
		out[2 * k + 1] = (uint8_t)words[w];
	}
	if (gap >= 0) {
		int tail = nw - gap;
		k = 8 - tail;
		for (int w = gap; w < nw; w++, k++) {
			out[2 * k] = (uint8_t)(words[w] >> 8);
			out[2 * k + 1] = (uint8_t)words[w];
		}
	}
	return MM_OK;
}

int mm_ip_parse(struct mm_slice s, struct mm_ip *out)
{
	if (!s.p || s.n == 0 || s.n > 45)
		return MM_EPARSE;
	memset(out, 0, sizeof(*out));
	if (memchr(s.p, ':', s.n)) {
		if (parse_v6(s.p, s.n, out->a))
			return MM_EPARSE;
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		out->v4 = memcmp(out->a, mapped, 12) == 0;
		return MM_OK;
	}
	uint8_t v4[4];
	if (parse_v4(s.p, s.n, v4))
		return MM_EPARSE;
	out->a[10] = out->a[11] = 0xff;
	memcpy(out->a + 12, v4, 4);
	out->v4 = true;
	return MM_OK;
}

int mm_cidr_parse(struct mm_slice s, struct mm_cidr *out)
{
	const char *slash = s.p ? memchr(s.p, '/', s.n) : NULL;
	struct mm_slice addr = slash ? mm_slice(s.p, (size_t)(slash - s.p)) : s;
	if (mm_ip_parse(addr, &out->net))
		return MM_EPARSE;
	unsigned maxbits = out->net.v4 ? 32 : 128;
	unsigned bits = maxbits;
	if (slash) {
		struct mm_slice b = mm_slice(slash + 1, s.n - (size_t)(slash - s.p) - 1);
		int64_t v;
		if (mm_slice_to_i64(b, &v) || v < 0 || v > (int64_t)maxbits || b.p[0] == '+' ||
		    b.p[0] == '-')
			return MM_EPARSE;
		bits = (unsigned)v;
	}
	out->bits = out->net.v4 ? bits + 96 : bits;
	/* clear host bits so contains() can compare whole bytes */
	for (unsigned i = out->bits; i < 128; i++)
		out->net.a[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	return MM_OK;
}

bool mm_cidr_contains(const struct mm_cidr *c, const struct mm_ip *ip)
{
	unsigned full = c->bits / 8, rem = c->bits % 8;
	if (memcmp(c->net.a, ip->a, full) != 0)
		return false;
	if (rem) {
		uint8_t mask = (uint8_t)(0xff00u >> rem);
		if ((c->net.a[full] & mask) != (ip->a[full] & mask))
			return false;
	}
	return true;
}
