/* mamori — private helpers of the flow decoders (zeek.c, netfilter.c,
 * flowcsv.c and the FortiGate part of kv.c): epoch-seconds timestamps,
 * seconds → ECS event.duration (nanoseconds), numbers written into the batch
 * arena, and the ECS totals network.bytes / network.packets. All bounded:
 * nothing reads past the slice it is given. */
#ifndef MAMORI_DECODE_FLOW_UTIL_H
#define MAMORI_DECODE_FLOW_UTIL_H

#include "dec_util.h"

/* "DIGITS[.DIGITS]", the whole slice: the integer part (at most maxint
 * digits) and the fraction as frac / scale (its first 9 digits; the rest are
 * read and dropped). False when it is not that shape. */
static inline bool flow_decimal(struct mm_slice s, size_t maxint, uint64_t *ip, uint64_t *frac,
                                uint64_t *scale)
{
	size_t i = 0;
	*ip = 0, *frac = 0, *scale = 1;
	while (i < s.n && dec_digit(s.p[i])) {
		if (i >= maxint)
			return false;
		*ip = *ip * 10 + (uint64_t)(s.p[i] - '0');
		i++;
	}
	if (!i)
		return false;
	if (i < s.n && s.p[i] == '.') {
		i++;
		while (i < s.n && dec_digit(s.p[i])) {
			if (*scale < 1000000000ull) {
				*frac = *frac * 10 + (uint64_t)(s.p[i] - '0');
				*scale *= 10;
			}
			i++;
		}
	}
	return i == s.n;
}

/* "1601998366.785668" (seconds, optional fraction) → ns. At most 12 integer
 * digits: beyond year 33658 it is not an epoch in seconds. */
static inline bool flow_epoch_ns(struct mm_slice s, int64_t *out)
{
	uint64_t ip, frac, scale;
	if (!flow_decimal(s, 12, &ip, &frac, &scale))
		return false;
	*out = (int64_t)(ip * 1000000000ull + frac * (1000000000ull / scale));
	return true;
}

/* Non-negative decimal integer (at most 18 digits). */
static inline bool flow_u64(struct mm_slice s, uint64_t *out)
{
	if (!s.n || s.n > 18)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (!dec_digit(s.p[i]))
			return false;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	*out = v;
	return true;
}

/* v as decimal text in the batch arena; MM_SLICE_NULL without an arena or
 * when it is full (the field is then absent: counted by the arena). */
static inline struct mm_slice flow_num(struct mm_decode_ctx *ctx, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof(tmp);
	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	char *o = ctx->arena ? mm_arena_alloc(ctx->arena, sizeof(tmp) - k) : NULL;
	if (!o)
		return MM_SLICE_NULL;
	memcpy(o, tmp + k, sizeof(tmp) - k);
	return mm_slice(o, sizeof(tmp) - k);
}

/* Seconds with an optional fraction ("0.007707", "20") → event.duration in
 * nanoseconds, as ECS defines it. False when not a number. */
static inline bool flow_duration(struct mm_decode_ctx *ctx, struct mm_event *ev, struct mm_slice s)
{
	int64_t ns;
	if (!flow_epoch_ns(s, &ns))
		return false;
	struct mm_slice v = flow_num(ctx, (uint64_t)ns);
	if (v.p)
		ev->f[MM_F_EVENT_DURATION] = v;
	return true;
}

/* network.bytes and network.packets: the sums of both directions (ECS),
 * when at least one side is known. Returns false when a value was not a
 * number (the caller counts bad_field). */
static inline bool flow_totals(struct mm_decode_ctx *ctx, struct mm_event *ev)
{
	static const int pairs[2][3] = {
		{MM_F_SOURCE_BYTES, MM_F_DESTINATION_BYTES, MM_F_NETWORK_BYTES},
		{MM_F_SOURCE_PACKETS, MM_F_DESTINATION_PACKETS, MM_F_NETWORK_PACKETS}};
	for (int k = 0; k < 2; k++) {
		struct mm_slice a = ev->f[pairs[k][0]], b = ev->f[pairs[k][1]];
		if ((!a.p && !b.p) || ev->f[pairs[k][2]].p)
			continue; /* nothing to add, or the log gave its own total */
		uint64_t x = 0, y = 0;
		if ((a.p && !flow_u64(a, &x)) || (b.p && !flow_u64(b, &y)))
			return false;
		if (!a.p || !b.p) {
			ev->f[pairs[k][2]] = a.p ? a : b;
			continue;
		}
		struct mm_slice v = flow_num(ctx, x + y);
		if (v.p)
			ev->f[pairs[k][2]] = v;
	}
	return true;
}

/* IANA protocol number → ECS network.transport name ("6" → "tcp"). */
static inline const char *flow_proto(struct mm_slice s)
{
	static const struct {
		const char *num, *name;
	} t[] = {{"6", "tcp"}, {"17", "udp"}, {"1", "icmp"}, {"58", "ipv6-icmp"},
	         {"47", "gre"}, {"50", "esp"}, {"51", "ah"}, {"132", "sctp"}};
	for (size_t i = 0; i < MM_ARRAY_LEN(t); i++)
		if (mm_slice_eq_cstr(s, t[i].num))
			return t[i].name;
	return NULL;
}

#endif
